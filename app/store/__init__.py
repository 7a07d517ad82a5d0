"""Persistence: SQLModel tables, the content-addressed file store, engines and migrations."""
