origin_protocol = "match-viewer"
