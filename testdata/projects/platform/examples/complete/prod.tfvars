kms_key_arn       = "arn:aws:kms:eu-west-1:123456789012:key/abcd1234"
enable_vault_lock = false
