"""With links among the writes: after any sequence of record submissions, status changes,
link submissions, objections to links, decisions and ticks, every stored assessment equals a
fresh ``engine.assess`` of its subject with its links and the linked organisations' records
(and so does next_change_on)."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from socialcredit.engine import DisputeOutcome
from socialcredit.errors import SocialCreditError
from socialcredit.registry import Actor, Registry
from socialcredit.registry.store.casework import Objection
from socialcredit.registry.store.links import LinkRow
from socialcredit.registry.workflows.objections import decide_objection, file_objection
from socialcredit.registry.writes.linksubmit import submit_link
from socialcredit.registry.writes.submit import Submission
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import O1, P1, P2, assert_stored_equal_engine
from tests.registry.linkhelpers import REGULATOR, legal_rep
from tests.registry.test_live_property import (
    SLOW_EXAMPLES,
    _apply,
    _wipe,
    change_step,
    submit_step,
    tick_step,
)

link_step = st.tuples(
    st.just("link"),
    st.sampled_from([P1, P2]),
    st.sampled_from(["legal_representative", "main_responsible_person"]),
    st.integers(-800, 0),  # valid from, days from the registry's date
    st.one_of(st.none(), st.integers(1, 400)),  # valid for, days
)
objection_step = st.tuples(
    st.just("object"), st.integers(0, 5), st.sampled_from([None, *DisputeOutcome])
)
steps = st.lists(
    st.one_of(submit_step, change_step, tick_step, link_step, objection_step),
    min_size=1,
    max_size=12,
)


def _link(reg: Registry, step: tuple[Any, ...], links: list[tuple[str, str]]) -> None:
    _, person, role, offset, days = step
    with reg.session() as session:
        today = reg.state(session).as_of
    start = today + timedelta(days=offset)
    raw = legal_rep(f"k{len(links)}", O1, person, valid_from=start, role=role)
    if days is not None:
        raw["valid_to"] = (start + timedelta(days=days)).isoformat()
    with suppress(SocialCreditError):  # an overlap is refused and changes nothing
        submit_link(reg, raw, Submission(REGULATOR, OPERATOR))
        links.append((person, raw["id"]))


def _object(reg: Registry, step: tuple[Any, ...]) -> None:
    """The person objects to its newest undisputed link, or a reviewer decides an objection."""
    _, which, outcome = step
    with reg.session() as session:
        found = session.execute(select(LinkRow.id, LinkRow.person_id).order_by(LinkRow.id)).all()
    if not found:
        return
    link_id, person = found[which % len(found)]
    with suppress(SocialCreditError):
        if outcome is None:
            file_objection(reg, person, f"l{link_id}", "not me", Actor(person, "subject", "t"))
        else:
            with reg.session() as session:
                query = select(Objection.id).where(
                    Objection.link_id == link_id, Objection.status == "pending"
                )
                pending = session.execute(query).scalar()
            if pending is not None:
                decide_objection(reg, pending, outcome, "decided", OPERATOR)


@pytest.mark.slow
@settings(max_examples=25, **SLOW_EXAMPLES)
@given(sequence=steps)
def test_stored_assessments_with_links_equal_fresh_engine_assessments(
    registry: Registry, sequence: list[tuple[Any, ...]]
) -> None:
    _wipe(registry)
    made: list[tuple[str, str, date]] = []
    links: list[tuple[str, str]] = []
    for step in sequence:
        if step[0] == "link":
            _link(registry, step, links)
        elif step[0] == "object":
            _object(registry, step)
        else:
            _apply(registry, step, made)
        assert_stored_equal_engine(registry)
