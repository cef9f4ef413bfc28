"""Apply the packaged Alembic migrations (``socialcredit db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData

from socialcredit.registry.store import casework, feeds, links, models, quarantine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# imported here, so that METADATA holds every table
TABLE_MODULES = (models, casework, links, quarantine, feeds)
METADATA: MetaData = models.Base.metadata
"""Every table of the registry (those of the modules of ``TABLE_MODULES``)."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: the latest)."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()
