"""Migrations create exactly the models' schema; `policy load` validates and versions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text, update

from socialcredit.errors import PolicyError
from socialcredit.registry import Registry
from socialcredit.registry.policystore import active_versions
from socialcredit.registry.reads.checks import check
from socialcredit.registry.store.models import (
    AuditEntry,
    Notice,
    RecordEvent,
    RecordRow,
    RegistryState,
    RetiredRecord,
)
from socialcredit.registry.store.schema import METADATA, current_revision, head_revision, upgrade
from socialcredit.registry.workflows.objections import file_objection
from socialcredit.registry.workflows.policies import load_policy_files
from socialcredit.registry.writes.retention import retention
from socialcredit.registry.writes.submit import Submission, submit_lines, submit_record
from tests.conftest import ROOT
from tests.registry.conftest import EXAMPLES, OPERATOR
from tests.registry.helpers import COURT, P1, P2, assert_stored_equal_engine, person, spc


def test_migrations_create_every_table(registry: Registry) -> None:
    upgrade(registry.engine)  # idempotent
    assert current_revision(registry.engine) == head_revision()
    tables = set(inspect(registry.engine).get_table_names())
    assert set(METADATA.tables) <= tables


def test_migrations_match_the_models_exactly(registry: Registry) -> None:
    """Alembic's autogenerate finds nothing to add, drop or alter: columns, types, nullability,
    server defaults, indexes, unique constraints and foreign keys all agree with the models."""
    options = {"compare_type": True, "compare_server_default": True}
    with registry.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts=options), METADATA)
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


@pytest.mark.postgres
def test_record_ids_go_past_32_bits(registry: Registry) -> None:
    """Records, status events and notices are numbered past 2**31 (migration 0006 on
    PostgreSQL), on the bulk path (ids drawn from the sequence, rows sent by COPY) and the
    single one (ids drawn, rows inserted), and every table that holds a record's id stores them:
    events, notices, objections and what retention keeps."""
    big = 2**31 + 5
    with registry.engine.begin() as conn:
        for name in ("records", "record_events", "notices"):
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"), {"t": name, "v": big}
            )
    court = Submission(COURT, OPERATOR)
    raws = [spc(f"big-{n}", subject=person(n)) for n in range(20)]
    assert submit_lines(registry, list(enumerate(raws, 1)), court).count("registered") == 20
    submit_record(registry, spc("big-old", subject=P2, decided=date(2021, 1, 4)), court)
    with registry.session() as session:
        first = session.execute(
            select(RecordRow).where(RecordRow.source_id == "big-0")
        ).scalar_one()
    objection = file_objection(registry, person(0), first.key, "not mine", OPERATOR)
    assert objection.record_id == first.id > big
    assert retention(registry, None, OPERATOR).records == 1  # big-old
    with registry.session() as session:
        for column in (RecordRow.id, RecordEvent.record_id, Notice.record_id):
            assert session.scalar(select(func.min(column))) > big
        assert session.execute(select(RetiredRecord.record_id)).scalar_one() > big
    assert_stored_equal_engine(registry)
