"""Persistence: SQLAlchemy 2 async models, repositories and Alembic migrations.

The same code runs on SQLite (aiosqlite, WAL; the embedded default) and PostgreSQL (asyncpg).
It imports only the flows types it persists.
"""
