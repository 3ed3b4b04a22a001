rotated_on = "2025-09-01"
