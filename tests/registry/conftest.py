"""Registry fixtures: every test runs on SQLite and on PostgreSQL, each on a clean schema.

PostgreSQL is the server at ``SOCIALCREDIT_TEST_POSTGRES`` (default: 127.0.0.1:5432, user
postgres, database test). Each test gets a fresh schema (``search_path``), dropped afterwards.
When the server cannot be reached the PostgreSQL tests are skipped with the reason, unless the
environment variable ``CI`` is set: then they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cache
from hashlib import sha256
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from socialcredit.policy import PolicySet
from socialcredit.registry import Actor, Registry, RegistrySettings, initialise
from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.choose import backend_for
from socialcredit.registry.store.models import PolicyVersion
from socialcredit.registry.store.postgres import PostgresBackend, PostgresTuning
from tests.conftest import ROOT

PG_URL = os.environ.get(
    "SOCIALCREDIT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
EXAMPLES = ROOT / "policies" / "examples"
START = date(2025, 1, 1)
OPERATOR = Actor("tester", "operator", "test")


@cache
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect
        return f"PostgreSQL unreachable at {PG_URL}: {type(exc).__name__}: {exc}"
    return None


def _require_postgres() -> None:
    problem = postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{problem} (CI is set: the PostgreSQL suite must run)")
    pytest.skip(problem)


@contextmanager
def database(kind: str, directory: Path) -> Iterator[str]:
    """The URL of an empty SQLite file, or of a fresh PostgreSQL schema (dropped after)."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'registry.db'}"
        return
    _require_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database(request.param, tmp_path) as url:
        yield url


@cache
def _example_texts() -> tuple[tuple[str, str, str], ...]:
    found = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        raw = path.read_bytes()
        found.append((yaml.safe_load(raw)["policy"]["id"], raw.decode(), sha256(raw).hexdigest()))
    return tuple(found)


def install_examples(reg: Registry) -> None:
    """Store the example policies as `policy load` would, without re-validating them each time
    (test_schema.py covers `policy load` itself)."""
    with reg.session() as session, session.begin():
        for policy_id, text_, digest in _example_texts():
            session.add(
                PolicyVersion(
                    policy_id=policy_id,
                    version="example",
                    sha256=digest,
                    text=text_,
                    loaded_at=datetime.now(UTC),
                    loaded_by="tests",
                )
            )


@contextmanager
def open_registry(db_url: str, backend: Backend | None = None) -> Iterator[Registry]:
    """An initialised registry on 2025-01-01 with the example policies loaded, served by
    ``backend`` (default: the database's own)."""
    reg = Registry.open(RegistrySettings(database_url=db_url, chunk_size=50), backend)
    initialise(reg, START)
    install_examples(reg)
    try:
        yield reg
    finally:
        reg.close()


def tuned(db_url: str, tuning: PostgresTuning) -> Backend:
    """The backend of ``db_url``'s database, with ``tuning`` if it is PostgreSQL."""
    backend = backend_for(db_url)
    return PostgresBackend(tuning) if isinstance(backend, PostgresBackend) else backend


@pytest.fixture
def registry(db_url: str) -> Iterator[Registry]:
    """An initialised registry on 2025-01-01 with the example policies loaded."""
    with open_registry(db_url) as reg:
        yield reg


@pytest.fixture
def policies(registry: Registry) -> PolicySet:
    with registry.session() as session:
        return registry.policies(session).policy_set
