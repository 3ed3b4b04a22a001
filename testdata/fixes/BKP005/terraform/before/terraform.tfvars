backup_logs = "TRUE"
