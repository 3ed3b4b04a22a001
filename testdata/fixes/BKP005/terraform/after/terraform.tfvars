backup_logs = "true"
