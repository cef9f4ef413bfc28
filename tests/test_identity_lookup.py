"""An organisation code resolves to the one known credit code embedding it; a lookup by 18
digits tries both kinds' check characters and asks which kind when both pass."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcredit.engine import Record, resolve_organisation_codes
from socialcredit.errors import IdentifierError
from socialcredit.identity import (
    IdentifierKind,
    OrganisationCodeIndex,
    SubjectKind,
    organisation_code_check_character,
    organisation_code_of,
    parse_lookup,
    parse_subject,
    resident_check_character,
    uscc_check_character,
)

CODE = "600037341"  # 60003734-1
EMBEDDING = "91350100600037341P"
SAME_CODE_ELSEWHERE = "12100000600037341M"  # another authority and region, the same code
BOTH = "110105199001010299"  # valid as a resident identity number and as a credit code
DIGIT_CODE = "911522010783710635"  # an all-digit credit code, not a valid person's number


def _record(subject: str, record_id: str) -> Record:
    return Record(record_id, subject, "organisation", "item", date(2024, 1, 2))


def test_an_organisation_code_resolves_to_the_credit_code_embedding_it() -> None:
    index = OrganisationCodeIndex.of([EMBEDDING, "91350100M000100Y43", "11010519491231002X"])
    assert organisation_code_of(EMBEDDING) == CODE
    assert index.credit_code_of(CODE) == EMBEDDING


def test_no_or_several_embedding_credit_codes_are_refused_with_the_reason() -> None:
    with pytest.raises(IdentifierError) as none:
        OrganisationCodeIndex.of(["91350100M000100Y43"]).credit_code_of(CODE)
    assert none.value.details["reason"] == "unmatched-organisation-code"
    assert "60003734-1 matches no known unified social credit code" in none.value.message
    with pytest.raises(IdentifierError) as several:
        OrganisationCodeIndex.of([EMBEDDING, SAME_CODE_ELSEWHERE]).credit_code_of(CODE)
    assert several.value.details["reason"] == "ambiguous-organisation-code"
    assert several.value.details["candidates"] == f"{SAME_CODE_ELSEWHERE}, {EMBEDDING}"


def test_records_read_together_resolve_against_their_credit_codes() -> None:
    records = [_record(EMBEDDING, "a"), _record(CODE, "b"), _record("M000100Y4", "c")]
    found = resolve_organisation_codes(records)
    assert [r.subject for r in found.records] == [EMBEDDING, EMBEDDING]
    ((position, record, reason),) = found.refused
    assert (position, record.id) == (2, "c") and "M000100Y-4" in reason
    known = resolve_organisation_codes([_record(CODE, "b")], known=[EMBEDDING])
    assert [r.subject for r in known.records] == [EMBEDDING] and not known.refused


@given(st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8), st.data())
def test_any_code_embedded_in_one_credit_code_resolves_to_it(
    body: str, data: st.DataObject
) -> None:
    code = body + organisation_code_check_character(body)
    head = data.draw(st.sampled_from(["91350100", "12100000", "Y1110000", "51440300"]))
    uscc = head + code + uscc_check_character(head + code)
    assert parse_subject(uscc, IdentifierKind.USCC).value == uscc
    assert OrganisationCodeIndex.of([uscc]).credit_code_of(code) == uscc


def test_eighteen_digits_valid_as_both_kinds_ask_which_kind() -> None:
    assert resident_check_character(BOTH[:17]) == uscc_check_character(BOTH[:17]) == BOTH[17]
    with pytest.raises(IdentifierError) as ambiguous:
        parse_lookup(BOTH)
    assert ambiguous.value.details["reason"] == "ambiguous-kind"
    assert "say which kind" in ambiguous.value.message
    assert parse_lookup(BOTH, "resident-identity-number").kind is SubjectKind.PERSON
    assert parse_lookup(BOTH, IdentifierKind.USCC).kind is SubjectKind.ORGANISATION
    assert parse_lookup(BOTH, among=SubjectKind.ORGANISATION).kind is SubjectKind.ORGANISATION


def test_eighteen_digits_valid_as_one_kind_are_that_kind() -> None:
    assert parse_lookup(DIGIT_CODE).kind is SubjectKind.ORGANISATION
    assert parse_lookup("11010519491231002X").kind is SubjectKind.PERSON
    with pytest.raises(IdentifierError) as neither:
        parse_lookup("110105199001010000")
    assert neither.value.details["reason"] == "bad-check-character"
    with pytest.raises(IdentifierError):
        parse_lookup(DIGIT_CODE, among=SubjectKind.PERSON)
