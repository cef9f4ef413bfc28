"""``registry rescore``: after a new policy version, the batch scorer's results stored through the
registry's own path equal fresh engine assessments, and nothing changed meanwhile goes stale."""

from __future__ import annotations

from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from socialcredit.batch.options import BatchError, BatchOptions
from socialcredit.batch.rescore import RescoreOptions, rescore
from socialcredit.batch.rescore.export import Export, export_records
from socialcredit.batch.rescore.writeback import Bucket, Expected, write_bucket
from socialcredit.batch.run import assess_dataset
from socialcredit.cli.app import app
from socialcredit.registry import Actor, Registry
from socialcredit.registry.audit import verify
from socialcredit.registry.store.models import AssessmentList, AuditEntry, Notice, PolicyVersion
from socialcredit.registry.workflows.demo import by_agency, demo_records
from socialcredit.registry.workflows.dueprocess import advance
from socialcredit.registry.workflows.repair import apply_for_repair
from socialcredit.registry.writes.submit import Submission, submit_lines, submit_record
from tests.registry.conftest import EXAMPLES, OPERATOR, START
from tests.registry.helpers import assert_stored_equal_engine, spc

SUBJECTS = 120


def _populate(reg: Registry) -> None:
    with reg.session() as session:
        policies = reg.policies(session).policy_set
    for agency, raws in by_agency(demo_records(policies, SUBJECTS, 7, START)).items():
        report = submit_lines(reg, enumerate(raws, 1), Submission(agency, Actor(agency, "agency")))
        assert not report.refused


def _store_stricter_rongcheng(reg: Registry, base: int = 1040) -> None:
    """A new Rongcheng version stored without reassessing: every stored assessment is stale."""
    text = (EXAMPLES / "rongcheng.yaml").read_text(encoding="utf-8")
    text = text.replace("base: 1000", f"base: {base}").replace(
        "points: {rongcheng-personal: -20}", "points: {rongcheng-personal: -60}"
    )
    with reg.session() as session, session.begin():
        session.add(
            PolicyVersion(
                policy_id="rongcheng",
                version=f"test-{base}",
                sha256=sha256(text.encode()).hexdigest(),
                text=text,
                loaded_at=datetime.now(UTC),
                loaded_by="tests",
            )
        )


def _count(reg: Registry, model: type[Notice] | type[AuditEntry]) -> int:
    with reg.session() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_rescore_stores_what_the_engine_gives(registry: Registry, tmp_path: Path) -> None:
    _populate(registry)
    _store_stricter_rongcheng(registry)
    with pytest.raises(AssertionError):  # stale until rescored
        assert_stored_equal_engine(registry)
    notices = _count(registry, Notice)
    report = rescore(registry, OPERATOR, RescoreOptions(tmp_path / "work", bucket_size=40))
    assert report.buckets == 3
    assert report.subjects == SUBJECTS
    assert report.engine_fallbacks == 0
    assert_stored_equal_engine(registry)
    assert _count(registry, Notice) > notices  # list entries and exits were noticed
    with registry.session() as session:
        assert verify(session).ok


def _exported_and_assessed(registry: Registry, work: Path) -> tuple[Export, Bucket, Expected]:
    """The first two stages of a rescore, in one bucket; the write-back is left to the test."""
    with registry.session() as session:
        active, day = registry.policies(session), registry.state(session).as_of
    export = export_records(registry, work / "records", 1000, None)
    options = BatchOptions(work / "records", work / "out", day)
    assess_dataset(active.policy_set, options)
    expected = Expected(active.hashes, day, export.last_event, OPERATOR, 50)
    return export, Bucket("00000", export.paths[0], options.out), expected


def test_a_subject_changed_during_the_run_is_left_to_the_engine(
    registry: Registry, tmp_path: Path
) -> None:
    _populate(registry)
    _store_stricter_rongcheng(registry)
    export, bucket, expected = _exported_and_assessed(registry, tmp_path)
    court = Submission("The enforcing people's court", Actor("court", "agency"))
    person = min(s for s in _exported_subjects(export.paths[0]) if not s.startswith("9"))
    late = spc("late-1", subject=person, decided=START)
    assert (
        submit_record(registry, late, court) == "registered"
    )  # after the export, before the write
    written, fallbacks = write_bucket(registry, bucket, expected)
    assert (written, fallbacks) == (SUBJECTS, 1)
    assert_stored_equal_engine(registry)


def _exported_subjects(path: Path) -> set[str]:
    return set(pq.read_table(path, columns=["subject"])["subject"].to_pylist())


def test_a_policy_loaded_during_the_run_stops_it(registry: Registry, tmp_path: Path) -> None:
    _populate(registry)
    _export, bucket, expected = _exported_and_assessed(registry, tmp_path)
    _store_stricter_rongcheng(registry)
    audit = _count(registry, AuditEntry)
    with pytest.raises(BatchError, match="policies changed"):
        write_bucket(registry, bucket, expected)
    assert _count(registry, AuditEntry) == audit


def test_cli_rescore(registry: Registry, db_url: str) -> None:
    _populate(registry)
    _store_stricter_rongcheng(registry, base=1010)
    result = CliRunner().invoke(app, ["registry", "rescore", "--db", db_url, "--bucket-size", "50"])
    assert result.exit_code == 0, result.output
    assert f"rescored {SUBJECTS} subjects" in result.output
    assert_stored_equal_engine(registry)


def test_cli_refuses_an_existing_work_directory(
    registry: Registry, db_url: str, tmp_path: Path
) -> None:
    _populate(registry)
    args = ["registry", "rescore", "--db", db_url, "--work", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "exists" in result.output


def test_a_subject_with_a_late_repair_application_is_left_to_the_engine(
    registry: Registry, tmp_path: Path
) -> None:
    """Records files carry no repair casework: the batch result of a subject whose repair
    application is late (its listing suspended) would be wrong, so the engine assesses it."""
    _populate(registry)
    with registry.session() as session:
        listed = session.execute(
            select(AssessmentList).where(AssessmentList.list_id == "serious-violators")
        ).scalars()
        subject = next(iter(listed)).subject_id
    application = apply_for_repair(
        registry, subject, "serious-violators", "corrected", (True, True), OPERATOR
    )
    advance(registry, application.deadline, OPERATOR)  # late: its records are suspended
    with registry.session() as session:
        assert session.get(AssessmentList, (subject, "serious-violators")) is None
    report = rescore(registry, OPERATOR, RescoreOptions(tmp_path / "work", bucket_size=200))
    assert report.engine_fallbacks == 1
    assert_stored_equal_engine(registry)
    with registry.session() as session:
        assert session.get(AssessmentList, (subject, "serious-violators")) is None
