enable_vault_lock = false
