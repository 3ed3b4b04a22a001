origin_protocol = "https-only"
