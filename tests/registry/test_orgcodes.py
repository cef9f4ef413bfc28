"""Records filed under an old organisation code (both databases): kept under the one credit
code of the registry or of the same submission that embeds the code, with the code as filed in
the payload; refused with the reason when none or several embed it, and nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from socialcredit.errors import IdentifierError, NotFoundError, RecordError
from socialcredit.registry import Registry
from socialcredit.registry.reads.checks import check
from socialcredit.registry.reads.disclosure import organisation_view
from socialcredit.registry.reads.subjectfile import subject_file
from socialcredit.registry.store.models import RecordRow, Subject
from socialcredit.registry.workflows.submissions import name_organisation
from socialcredit.registry.writes.submit import Submission, submit_lines, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, counts, spc

SUB = Submission(COURT, OPERATOR)
CODE = "60003734-1"
EMBEDDING = "91350100600037341P"
SAME_CODE_ELSEWHERE = "12100000600037341M"


def _subjects(registry: Registry) -> set[str]:
    with registry.session() as session:
        return set(session.execute(select(Subject.id)).scalars())


def _stored(registry: Registry, source_id: str) -> RecordRow:
    with registry.session() as session:
        query = select(RecordRow).where(RecordRow.source_id == source_id)
        return session.execute(query).scalar_one()


def test_a_code_resolves_to_the_registered_credit_code(registry: Registry) -> None:
    assert submit_record(registry, spc("o-1", EMBEDDING), SUB) == "registered"
    assert submit_record(registry, spc("o-2", CODE), SUB) == "registered"
    row = _stored(registry, "o-2")
    assert row.subject_id == EMBEDDING
    assert row.payload["subject"] == CODE  # as filed
    assert _subjects(registry) == {EMBEDDING}
    assert submit_record(registry, spc("o-2", CODE), SUB) == "unchanged"


def test_a_code_resolves_to_a_credit_code_later_in_the_same_submission(
    registry: Registry,
) -> None:
    """The credit code's record comes in a later chunk (chunks of 50 lines)."""
    fillers = [spc(f"p-{i}", P1) for i in range(50)]
    raws = [spc("o-1", CODE), *fillers, spc("o-2", EMBEDDING)]
    report = submit_lines(registry, list(enumerate(raws, 1)), SUB)
    assert report.count("registered") == len(raws)
    assert _stored(registry, "o-1").subject_id == EMBEDDING
    assert _subjects(registry) == {P1, EMBEDDING}


def test_a_code_no_credit_code_embeds_is_refused_and_nothing_is_stored(
    registry: Registry,
) -> None:
    submit_record(registry, spc("o-1", "91350100M000100Y43"), SUB)
    before = counts(registry)
    with pytest.raises(RecordError) as caught:
        submit_record(registry, spc("o-2", CODE), SUB)
    message = caught.value.problems[0].message
    assert "organisation code 60003734-1 matches no known unified social credit code" in message
    assert counts(registry) == before
    assert "600037341" not in _subjects(registry)


def test_a_code_several_credit_codes_embed_is_refused_as_ambiguous(registry: Registry) -> None:
    submit_record(registry, spc("o-1", EMBEDDING), SUB)
    raws = [spc("o-2", SAME_CODE_ELSEWHERE), spc("o-3", CODE, identifier_kind="organisation-code")]
    report = submit_lines(registry, list(enumerate(raws, 1)), SUB)
    (refused,) = report.refused
    assert refused.record_id == "o-3"
    assert "is ambiguous" in refused.reasons[0]
    assert SAME_CODE_ELSEWHERE in refused.reasons[0] and EMBEDDING in refused.reasons[0]


def test_a_lookup_by_code_reads_the_organisation_embedding_it(registry: Registry) -> None:
    """A file, a check and the public view by the old code are those of the credit code; a
    code no registered credit code embeds is refused, never answered as an empty subject."""
    submit_record(registry, spc("o-1", EMBEDDING), SUB)
    assert subject_file(registry, CODE, OPERATOR).subject == EMBEDDING
    found = check(registry, CODE, "public-procurement-bid", OPERATOR)
    assert (found.subject, found.decision["effect"]) == (EMBEDDING, "deny")
    assert organisation_view(registry, CODE, OPERATOR).subject == EMBEDDING
    with pytest.raises(IdentifierError) as caught:
        check(registry, "12345678-8", "public-procurement-bid", OPERATOR)
    assert caught.value.details["reason"] == "unmatched-organisation-code"
    assert "look the organisation up by its credit code" in caught.value.message
    with pytest.raises(NotFoundError):
        organisation_view(registry, "12345678-8", OPERATOR)


def test_a_name_registered_by_code_is_the_organisations(registry: Registry) -> None:
    submit_record(registry, spc("o-1", EMBEDDING), SUB)
    assert name_organisation(registry, CODE, "Example Trading Co.", OPERATOR).id == EMBEDDING
    with pytest.raises(IdentifierError):
        name_organisation(registry, "12345678-8", "Nobody Co.", OPERATOR)
    assert name_organisation(registry, "911522010783710635", "Digits Co.", OPERATOR).id == (
        "911522010783710635"
    )
