"""The reports domain: upload, read models, persistence of parsed results."""
