"""Migrations create exactly the models' schema; `policy load` validates and versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, update

from socialcredit.errors import PolicyError
from socialcredit.registry import Registry
from socialcredit.registry.checks import check
from socialcredit.registry.models import AuditEntry, Base, RegistryState
from socialcredit.registry.policies import load_policy_files
from socialcredit.registry.policystore import active_versions
from socialcredit.registry.schema import current_revision, head_revision, upgrade
from tests.conftest import ROOT
from tests.registry.conftest import EXAMPLES, OPERATOR
from tests.registry.helpers import P1


def test_migrations_create_every_table(registry: Registry) -> None:
    upgrade(registry.engine)  # idempotent
    assert current_revision(registry.engine) == head_revision()
    tables = set(inspect(registry.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_match_the_models_exactly(registry: Registry) -> None:
    """Alembic's autogenerate finds nothing to add, drop or alter: columns, types, nullability,
    server defaults, indexes, unique constraints and foreign keys all agree with the models."""
    options = {"compare_type": True, "compare_server_default": True}
    with registry.engine.connect() as conn:
        differences = compare_metadata(
            MigrationContext.configure(conn, opts=options), Base.metadata
        )
    assert differences == []


def test_policy_load_refuses_an_invalid_policy(registry: Registry) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy_files(registry, [ROOT / "policies/refused/speech-score.yaml"], OPERATOR)
    assert caught.value.problems


def test_policy_load_stores_a_new_version(registry: Registry, tmp_path: Path) -> None:
    source = (EXAMPLES / "rongcheng.yaml").read_text(encoding="utf-8")
    changed = tmp_path / "rongcheng.yaml"
    changed.write_text(source.replace('version: "2014-trial"', 'version: "2014-trial-b"'))
    loaded = load_policy_files(registry, [changed], OPERATOR)
    assert [(p.policy_id, p.changed) for p in loaded] == [("rongcheng", True)]
    with registry.session() as session:
        versions = {v.policy_id: v.version for v in active_versions(session)}
    assert versions["rongcheng"] == "2014-trial-b"
    assert not load_policy_files(registry, [changed], OPERATOR)[0].changed


def test_audit_numbers_go_past_32_bits(registry: Registry) -> None:
    """The audit sequence is 64-bit on every database (migration 0005 on PostgreSQL): a check
    appended after entry 2**31 + 9 is numbered 2**31 + 10 and stored as such."""
    big = 2**31 + 9
    with registry.session() as session, session.begin():
        session.execute(update(RegistryState).values(audit_seq=big))
    check(registry, P1, "flight-booking", OPERATOR)
    with registry.session() as session:
        assert session.scalar(select(func.max(AuditEntry.seq))) == big + 1
        assert session.scalar(select(RegistryState.audit_seq)) == big + 1
