window = 10
