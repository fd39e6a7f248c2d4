"""Alembic migrations of the registry schema (run by ``syncguard init`` or on first use)."""
