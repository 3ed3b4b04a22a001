material = "c2VjcmV0IG1hdGVyaWFsIGZyb20gdGZ2YXJzIDEyMzQ="
