"""Registry settings: where the database is. Unknown keys are refused.

The URL comes from ``--db`` if given, else ``SOCIALCREDIT_DATABASE_URL``, else a SQLite file
under the user's data directory (platformdirs), e.g. ``~/.local/share/socialcredit/registry.db``.
The largest evidence attachment comes from ``SOCIALCREDIT_ATTACHMENT_MAX_BYTES`` (default 5 MiB).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field

ENV_DATABASE_URL = "SOCIALCREDIT_DATABASE_URL"
ENV_ATTACHMENT_MAX_BYTES = "SOCIALCREDIT_ATTACHMENT_MAX_BYTES"
DEFAULT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024


def default_database_url() -> str:
    """``sqlite:///<user data dir>/registry.db``."""
    return f"sqlite:///{Path(user_data_dir('socialcredit')) / 'registry.db'}"


class RegistrySettings(BaseModel):
    """The settings of one registry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str = Field(min_length=1, description="SQLAlchemy URL of the registry.")
    chunk_size: int = Field(
        default=500, ge=1, le=100_000, description="Records per transaction in bulk work."
    )
    attachment_max_bytes: int = Field(
        default=DEFAULT_ATTACHMENT_MAX_BYTES,
        ge=1,
        le=100 * 1024 * 1024,
        description="Largest evidence attachment of an objection or repair application.",
    )

    @classmethod
    def resolve(
        cls, url: str | None = None, env: Mapping[str, str] | None = None
    ) -> RegistrySettings:
        """Settings from ``url``, else the environment, else the default."""
        environ = os.environ if env is None else env
        database_url = url or environ.get(ENV_DATABASE_URL) or default_database_url()
        limit = environ.get(ENV_ATTACHMENT_MAX_BYTES)
        if limit is None:
            return cls(database_url=database_url)
        return cls.model_validate({"database_url": database_url, "attachment_max_bytes": limit})
