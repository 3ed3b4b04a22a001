# Environment settings.
rotate_logs = false
region      = "eu-west-1"
