"""Repositories: small functions over an AsyncSession, one module per concern.

They never commit: the caller owns the transaction (storage.db.Database.transaction), so a
whole conversation turn, or a whole import, is applied atomically.
"""
