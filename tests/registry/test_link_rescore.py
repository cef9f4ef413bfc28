"""The batch rescore keeps a linked person's link decisions: a person with links is assessed
by the engine whatever the assessor of the rescore."""

from __future__ import annotations

from socialcredit.registry import Registry
from socialcredit.registry.reads.checks import check
from socialcredit.registry.writes.linksubmit import submit_link
from socialcredit.registry.writes.reassess import Scope, reassess
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, O1, P1, assert_stored_equal_engine, spc
from tests.registry.linkhelpers import REGULATOR, legal_rep


def test_another_assessor_leaves_linked_persons_to_the_engine(registry: Registry) -> None:
    submit_record(registry, spc("J1", subject=O1), Submission(COURT, OPERATOR))
    submit_link(registry, legal_rep("REG-1", O1, P1), Submission(REGULATOR, OPERATOR))
    asked: list[str] = []

    def refuse(sid: str, records: list[object]) -> object:
        asked.append(sid)
        raise AssertionError(f"the assessor was asked for {sid}")

    with registry.session() as session, session.begin():
        today = registry.state(session).as_of
        # the linked person is in scope: the assessor is never asked for it
        scope = Scope([P1], today, "rescore")
        reassess(session, registry.policies(session), scope, refuse)  # type: ignore[arg-type]
    assert asked == []
    assert check(registry, P1, "flight-booking", OPERATOR).decision["effect"] == "deny"
    assert_stored_equal_engine(registry)
