enable_vault_lock = true
