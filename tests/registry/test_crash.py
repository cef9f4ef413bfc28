"""A real submitting process killed (SIGKILL) mid-way leaves each record whole or absent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from socialcredit.registry import Registry
from socialcredit.registry.audit import verify
from socialcredit.registry.store.models import (
    AssessmentRow,
    AuditEntry,
    Notice,
    RecordEvent,
    RecordRow,
    Subject,
)
from socialcredit.registry.writes.submit import Submission, submit_lines
from tests.conftest import ROOT
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, person, spc

pytestmark = pytest.mark.slow  # a killed process

SUBMITTER = """
import json, sys
from socialcredit.registry import Actor, Registry, RegistrySettings
from socialcredit.registry.writes.submit import Submission, submit_lines
reg = Registry.open(RegistrySettings(database_url=sys.argv[1], chunk_size=20))
lines = [(n, json.loads(l)) for n, l in enumerate(open(sys.argv[2]), start=1)]
submit_lines(reg, lines, Submission(sys.argv[3], Actor("crash", "agency", "test")))
"""


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.execute(query).scalar_one())


def _stored_so_far(registry: Registry) -> int:
    """The records committed so far, read on the driver's own connection: a session would
    begin a SQLite write transaction (``BEGIN IMMEDIATE``) and could wait behind the
    submitter's chunks until it had finished."""
    raw = registry.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"SELECT count(*) FROM {RecordRow.__tablename__}")
        (count,) = cursor.fetchone()
        raw.rollback()
        return int(count)
    finally:
        raw.close()


# Enough records that the kill lands mid-way (most of the time inside a chunk's transaction),
# however fast the submission has become.
TOTAL = 2000


def test_killed_bulk_submission_leaves_whole_records(registry: Registry, tmp_path: Path) -> None:
    records = tmp_path / "bulk.jsonl"
    records.write_text(
        "".join(json.dumps(spc(f"k-{n}", subject=person(n))) + "\n" for n in range(TOTAL))
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    url = registry.settings.database_url
    proc = subprocess.Popen(
        [sys.executable, "-c", SUBMITTER, url, str(records), COURT], env=env, cwd=ROOT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if _stored_so_far(registry) >= 60:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with registry.session() as session:
        stored = _count(session, select(func.count()).select_from(RecordRow))
        assert 0 < stored < TOTAL
        registered = select(func.count()).where(RecordEvent.kind == "registered")
        assert _count(session, registered) == stored
        audits = select(func.count()).where(AuditEntry.action == "write.record.register")
        assert _count(session, audits) == stored
        assert _count(session, select(func.count()).select_from(Notice)) >= stored
        subjects = _count(session, select(func.count()).select_from(Subject))
        assert _count(session, select(func.count()).select_from(AssessmentRow)) == subjects
        assert verify(session).ok
    report = submit_lines(
        registry,
        [(n, spc(f"k-{n}", subject=person(n))) for n in range(TOTAL)],
        Submission(COURT, OPERATOR),
    )
    assert report.count("unchanged") == stored and report.count("registered") == TOTAL - stored
