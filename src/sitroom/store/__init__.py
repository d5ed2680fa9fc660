"""Persistence: one SQLAlchemy Core schema with Alembic migrations, on SQLite or PostgreSQL."""

from sitroom.store.store import ClaimQuery, Store, StoredDocument, database_url, utc

__all__ = ["ClaimQuery", "Store", "StoredDocument", "database_url", "utc"]
