rotated_on = "2026-01-10"
