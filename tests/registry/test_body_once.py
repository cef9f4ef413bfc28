"""A decision other than ``allow`` is stored once (its ``assessment_decisions`` row), not again
inside ``assessments.body``; the subject's file reads the body back whole, and migration 0004
rewrites bodies stored whole before it (and its downgrade puts them back)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import select

from socialcredit.registry import Registry
from socialcredit.registry.reads.subjectfile import subject_file
from socialcredit.registry.store.models import AssessmentRow
from socialcredit.registry.store.schema import MIGRATIONS, current_revision, head_revision
from socialcredit.registry.writes.assessrows import full_body, stored_body
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, assert_stored_equal_engine, spc


def _migrate(registry: Registry, revision: str, up: bool) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with registry.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.upgrade if up else command.downgrade)(config, revision)


def _stored(registry: Registry) -> dict[str, Any]:
    with registry.session() as session:
        return session.execute(select(AssessmentRow.body)).scalar_one()


def test_the_body_holds_null_for_each_stored_decision_and_reads_back_whole(
    registry: Registry,
) -> None:
    submit_record(registry, spc("o-1", decided=date(2024, 10, 1)), Submission(COURT, OPERATOR))
    assert_stored_equal_engine(registry)  # nulls in the body, whole when read back
    stored = _stored(registry)
    whole = subject_file(registry, P1, OPERATOR).assessment
    assert whole["decisions"]["flight-booking"]["effect"] == "deny"
    assert stored["decisions"]["flight-booking"] is None
    assert stored == stored_body(whole)
    # the order of services (and so the JSON text) is the engine's
    assert json.dumps(whole) == json.dumps(full_body(stored, whole["decisions"]))

    _migrate(registry, "0003", up=False)
    assert _stored(registry) == whole  # bodies whole again (the file needs the head schema)
    _migrate(registry, "head", up=True)
    assert current_revision(registry.engine) == head_revision()
    assert _stored(registry) == stored
    assert subject_file(registry, P1, OPERATOR).assessment == whole
    assert_stored_equal_engine(registry)
