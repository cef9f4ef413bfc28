"""After any sequence of submissions, status changes and ticks, every stored assessment equals
a fresh ``engine.assess`` of that subject at the registry's date (and so does next_change_on).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from socialcredit.engine import DisputeOutcome
from socialcredit.errors import RecordError, SocialCreditError
from socialcredit.registry import Registry
from socialcredit.registry.audit import GENESIS
from socialcredit.registry.store.models import PolicyVersion, RegistryState, Subject
from socialcredit.registry.store.postgres import PostgresTuning
from socialcredit.registry.store.schema import METADATA
from socialcredit.registry.writes.lifecycle import ACTIONS, StatusChange, change_status
from socialcredit.registry.writes.submit import Submission, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR, START, open_registry, tuned
from tests.registry.helpers import O1, P1, P2, assert_stored_equal_engine

O1_CODE = "M000100Y-4"
"""O1's old organisation code: a record filed under it is kept under O1 once O1 is registered,
and refused before."""
ITEMS = {  # item -> subjects it may be recorded about
    "SPC-REFUSE": (P1, O1, O1_CODE),
    "RC-UTILITY-DAMAGE": (P1, P2),
    "RC-MUNICIPAL-HONOUR": (P1, P2),
    "ENT-PENALTY-SERIOUS": (O1, O1_CODE),
    "ENT-A-GRADE-TAXPAYER": (O1,),
}

submit_step = st.tuples(
    st.just("submit"),
    st.sampled_from(sorted(ITEMS)),
    st.integers(0, 1),
    st.integers(-400, 0),  # decided on or before the registry's date (a later one is refused)
    st.booleans(),
)
change_step = st.tuples(
    st.sampled_from(ACTIONS),
    st.integers(0, 20),
    st.integers(0, 200),
    st.sampled_from(list(DisputeOutcome)),
)
tick_step = st.tuples(st.just("tick"), st.integers(1, 400))
steps = st.lists(st.one_of(submit_step, change_step, tick_step), min_size=1, max_size=12)
# Each example replays a registry on a function-scoped fixture, wiped first.
SLOW_EXAMPLES: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


# The invariant, also checked by test_rescore (which imports it under this name).
_check_invariant = assert_stored_equal_engine


def _wipe(reg: Registry) -> None:
    with reg.session() as session, session.begin():
        for table in reversed(METADATA.sorted_tables):
            if table.name not in (PolicyVersion.__tablename__, RegistryState.__tablename__):
                session.execute(delete(table))
        session.execute(update(RegistryState).values(as_of=START, audit_seq=0, audit_head=GENESIS))


def _subjects(reg: Registry) -> list[str]:
    with reg.session() as session:
        return list(session.execute(select(Subject.id)).scalars())


def _apply(reg: Registry, step: tuple[Any, ...], made: list[tuple[str, str, date]]) -> None:
    with reg.session() as session:
        policies = reg.policies(session).policy_set
        today = reg.state(session).as_of
    if step[0] == "submit":
        _, item, who, offset, notified = step
        subject = ITEMS[item][who % len(ITEMS[item])]
        decided = today + timedelta(days=offset)
        raw = {
            "id": f"s{len(made)}",
            "subject": subject,
            "item": item,
            "authority": "A",
            "reference": f"ref {len(made)}",
            "decided_on": decided.isoformat(),
        }
        if notified:
            raw["notified_on"] = (decided + timedelta(days=3)).isoformat()
        agency = str(policies.items[item].authority)
        try:
            submit_record(reg, raw, Submission(agency, OPERATOR))
        except RecordError:
            assert subject == O1_CODE and not any(s == O1 for s in _subjects(reg))
            return
        made.append((agency, raw["id"], decided))
    elif step[0] == "tick":
        tick(reg, today + timedelta(days=step[1]), OPERATOR)
    elif made:
        action, which, offset, outcome = step
        agency, source, decided = made[which % len(made)]
        on = decided + timedelta(days=offset)
        with suppress(SocialCreditError):  # a refused change changes nothing: the invariant
            change_status(reg, StatusChange(action, agency, source, on, outcome), OPERATOR)


@pytest.mark.slow
@settings(max_examples=25, **SLOW_EXAMPLES)
@given(sequence=steps)
def test_stored_assessments_equal_fresh_engine_assessments(
    registry: Registry, sequence: list[tuple[Any, ...]]
) -> None:
    _replay(registry, sequence)


def _replay(registry: Registry, sequence: list[tuple[Any, ...]]) -> None:
    _wipe(registry)
    made: list[tuple[str, str, date]] = []
    for step in sequence:
        _apply(registry, step, made)
        _check_invariant(registry)


@pytest.fixture
def copying(db_url: str) -> Iterator[Registry]:
    """A registry whose backend copies every bulk write of two rows or more."""
    with open_registry(db_url, tuned(db_url, PostgresTuning(copy_min=2))) as reg:
        yield reg


@pytest.mark.slow
@pytest.mark.postgres
@settings(max_examples=15, **SLOW_EXAMPLES)
@given(sequence=steps)
def test_the_invariant_holds_when_every_bulk_write_uses_copy(
    copying: Registry, sequence: list[tuple[Any, ...]]
) -> None:
    """The same, with every bulk write of two rows or more sent with ``COPY`` (PostgreSQL)."""
    _replay(copying, sequence)
