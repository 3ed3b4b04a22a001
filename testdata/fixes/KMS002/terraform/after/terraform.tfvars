# Environment settings.
rotate_logs = true
region      = "eu-west-1"
