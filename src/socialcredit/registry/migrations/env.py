"""Alembic environment: runs on the connection given by :func:`registry.schema.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from socialcredit.registry.models import Base


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("run migrations through socialcredit.registry.schema.upgrade")
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
