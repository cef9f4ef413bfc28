"""Alembic environment: runs on the connection given by :func:`registry.store.schema.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from socialcredit.registry.store.schema import METADATA


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("run migrations through socialcredit.registry.store.schema.upgrade")
    context.configure(connection=connection, target_metadata=METADATA)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
