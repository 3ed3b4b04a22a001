rotated_on = "2025-02-01"
