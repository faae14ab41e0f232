"""The store: the single source of truth (SQLite by default, PostgreSQL supported)."""
