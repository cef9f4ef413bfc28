"""Tests of the identity layer: resident identity numbers, credit codes and parse_subject."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from socialcredit.errors import IdentifierError
from socialcredit.identity import (
    IdentifierKind,
    SubjectId,
    SubjectKind,
    example_credit_code,
    example_resident_id,
    is_valid_resident_id,
    is_valid_uscc,
    normalise_resident_id,
    normalise_uscc,
    parse_subject,
    resident_check_character,
    uscc_check_character,
)
from socialcredit.identity.resident import (
    PROVINCES,
    birth_date_problem,
    is_canonical_resident_id,
)
from socialcredit.identity.subject import ALL_DIGITS_HINT

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
RESIDENT_CHECKS = "0123456789X"
REASONS = {
    "bad-length",
    "bad-characters",
    "bad-birth-date",
    "unknown-region",
    "unknown-country",
    "bad-check-character",
}


# --- independent implementations of the two formulas, straight from the standards -----------


def reference_resident_check(first17: str) -> str:
    """GB 11643 / ISO 7064 MOD 11-2, written out from the brief's formula."""
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(first17))
    return "10X98765432"[total % 11]


def reference_uscc_check(first17: str) -> str:
    """GB 32100: weights 3^(i-1) mod 31, check = (31 - sum mod 31) mod 31."""
    total = sum(USCC_ALPHABET.index(c) * (3 ** (i - 1) % 31) for i, c in enumerate(first17, 1))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def refusal(call: Callable[[str], object], text: str) -> IdentifierError:
    """Call ``call(text)``, expect an IdentifierError and return it."""
    with pytest.raises(IdentifierError) as caught:
        call(text)
    return caught.value


# --- strategies ------------------------------------------------------------------------------

addresses = st.tuples(
    st.sampled_from(sorted(PROVINCES)), st.from_regex(r"[0-9]{4}", fullmatch=True)
).map("".join)
sequences = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")
birth_dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def resident_prefixes(draw: st.DrawFn) -> str:
    """17 digits: a plausible address code, a real birth date and a sequence number."""
    return draw(addresses) + draw(birth_dates).strftime("%Y%m%d") + draw(sequences)


@st.composite
def legacy_resident_numbers(draw: st.DrawFn) -> str:
    """15 digits: address code, birth date as YYMMDD in the 1900s, sequence number."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)))
    return draw(addresses) + born.strftime("%y%m%d") + draw(sequences)


@st.composite
def uscc_prefixes(draw: st.DrawFn) -> str:
    """17 characters of a credit code: authority, type, 6-digit division, organisation code."""
    head = draw(st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2))
    division = draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
    organisation = draw(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
    return head + division + organisation


@st.composite
def valid_resident_ids(draw: st.DrawFn) -> str:
    """A valid 18-character resident identity number."""
    prefix = draw(resident_prefixes())
    return prefix + resident_check_character(prefix)


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    """A credit code whose check character matches."""
    prefix = draw(uscc_prefixes())
    return prefix + uscc_check_character(prefix)


@st.composite
def legacy_usccs(draw: st.DrawFn) -> str:
    """A credit code of the right shape whose check character does not match."""
    prefix = draw(uscc_prefixes())
    check = draw(st.sampled_from(USCC_ALPHABET).filter(lambda c: c != uscc_check_character(prefix)))
    return prefix + check


# --- resident identity numbers: examples -----------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the standard's example (Beijing, Chaoyang, 31 December 1949)
        "440524188001010014",  # the often-quoted example born in 1880
        "360426199101010071",  # python-stdnum's example
    ],
)
def test_known_valid_resident_ids(number: str) -> None:
    assert normalise_resident_id(number) == number
    assert is_valid_resident_id(number)
    assert resident_check_character(number[:17]) == number[17]
    assert parse_subject(number) == SubjectId(SubjectKind.PERSON, number)


def test_lower_case_x_is_upper_cased() -> None:
    assert normalise_resident_id("11010519491231002x") == "11010519491231002X"
    assert is_valid_resident_id("11010519491231002x")
    assert parse_subject("11010519491231002x").value == "11010519491231002X"


def test_whitespace_is_removed() -> None:
    assert normalise_resident_id(" 110105 19491231 002X\n") == "11010519491231002X"
    assert parse_subject("\t110105 19491231 002x ").value == "11010519491231002X"


def test_legacy_15_digit_number_is_converted() -> None:
    assert normalise_resident_id("110105491231002") == "11010519491231002X"
    assert is_valid_resident_id("110105491231002")
    assert parse_subject("110105491231002") == SubjectId(SubjectKind.PERSON, "11010519491231002X")


def test_legacy_number_with_impossible_date_is_refused() -> None:
    error = refusal(normalise_resident_id, "110105490230002")
    assert error.details["reason"] == "bad-birth-date"
    assert "19490230" in error.message


def test_wrong_check_character_is_refused() -> None:
    error = refusal(normalise_resident_id, "110105194912310021")
    assert error.message == (
        "'110105194912310021' is not a valid resident identity number: "
        "the check character should be 'X'"
    )
    assert error.details["identifier"] == "110105194912310021"
    assert error.details["reason"] == "bad-check-character"
    assert error.details["expected"] == "X"
    assert not is_valid_resident_id("110105194912310021")


@pytest.mark.parametrize(
    ("first17", "fragment"),
    [
        ("11010519490230002", "19490230 is not a real date"),  # 30 February
        ("11010519490229002", "19490229 is not a real date"),  # 1949 is not a leap year
        ("11010519491301002", "19491301 is not a real date"),  # month 13
        ("11010519491200002", "19491200 is not a real date"),  # day 0
        ("11010517991231002", "1799 is not between 1800 and 2100"),
        ("11010521010101002", "2101 is not between 1800 and 2100"),
    ],
)
def test_impossible_birth_date_is_refused(first17: str, fragment: str) -> None:
    # The check character is right, so the date is the only thing wrong.
    number = first17 + resident_check_character(first17)
    error = refusal(normalise_resident_id, number)
    assert error.details["reason"] == "bad-birth-date"
    assert fragment in error.message
    assert not is_valid_resident_id(number)


def test_leap_day_is_a_real_date() -> None:
    first17 = "11010520000229002"
    assert is_valid_resident_id(first17 + resident_check_character(first17))


@pytest.mark.parametrize(
    "number", ["", "1101051949123100", "11010519491231002", "11010519491231002X1", "1" * 16]
)
def test_bad_length_is_refused(number: str) -> None:
    error = refusal(normalise_resident_id, number)
    assert error.details["reason"] == "bad-length"
    assert f"it has {len(number)} characters" in error.message
    assert not is_valid_resident_id(number)


@pytest.mark.parametrize(
    ("number", "bad"),
    [
        ("1101051949123100AX", "A"),
        ("1101051949123X0021", "X"),  # X only as the last character
        ("11010519491231002Y", "Y"),
        ("11010549123100X", "X"),  # never in a 15-digit number
        ("1101051949123100２X", "２"),  # a full-width digit is not an ASCII digit
        ("110105-1949123102X", "-"),
    ],
)
def test_letters_and_symbols_are_refused(number: str, bad: str) -> None:
    error = refusal(normalise_resident_id, number)
    assert error.details["reason"] == "bad-characters"
    assert f"it contains {bad!r}" in error.message
    assert not is_valid_resident_id(number)


@pytest.mark.parametrize("region", ["01", "10", "16", "71", "81", "91"])
def test_address_code_must_name_a_province(region: str) -> None:
    first17 = region + "010519491231002"
    error = refusal(normalise_resident_id, first17 + resident_check_character(first17))
    assert error.details["reason"] == "unknown-region"


@pytest.mark.parametrize(
    "first17", ["", "1101051949123100", "110105194912310021", "1101051949123100A"]
)
def test_resident_check_character_needs_17_digits(first17: str) -> None:
    error = refusal(resident_check_character, first17)
    assert error.details["reason"] in {"bad-length", "bad-characters"}


def test_messages_show_no_more_than_a_short_identifier() -> None:
    error = refusal(parse_subject, "9" * 500)
    assert "9" * 41 not in error.message
    assert "it has 500 characters" in error.message
    assert error.details["identifier"] == "9" * 40 + "…"


# --- resident identity numbers: properties ---------------------------------------------------


@given(resident_prefixes())
def test_check_character_matches_the_formula_and_python_stdnum(prefix: str) -> None:
    check = resident_check_character(prefix)
    assert check == reference_resident_check(prefix)
    assert check == stdnum_ric.calc_check_digit(prefix + check)


@given(resident_prefixes(), st.sampled_from(RESIDENT_CHECKS))
def test_only_the_right_check_character_is_valid(prefix: str, check: str) -> None:
    right = resident_check_character(prefix)
    assert is_valid_resident_id(prefix + right)
    assert normalise_resident_id(prefix + right.lower()) == prefix + right
    if check != right:
        assert not is_valid_resident_id(prefix + check)
        error = refusal(normalise_resident_id, prefix + check)
        assert error.details["reason"] == "bad-check-character"
        assert error.details["expected"] == right


@given(legacy_resident_numbers())
def test_legacy_numbers_convert_to_valid_18_character_numbers(legacy: str) -> None:
    converted = normalise_resident_id(legacy)
    assert converted[:17] == legacy[:6] + "19" + legacy[6:]
    assert is_valid_resident_id(converted)
    assert normalise_resident_id(converted) == converted


# --- unified social credit codes: examples ---------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # checked: its check character '3' matches
        "91110000600037341L",  # python-stdnum's example
    ],
)
def test_known_valid_usccs(code: str) -> None:
    assert normalise_uscc(code) == SubjectId(SubjectKind.ORGANISATION, code)
    assert is_valid_uscc(code)
    assert uscc_check_character(code[:17]) == code[17]
    assert parse_subject(code) == SubjectId(SubjectKind.ORGANISATION, code)


def test_lower_case_uscc_is_upper_cased() -> None:
    assert normalise_uscc(" 91350100m000100y43 ").value == "91350100M000100Y43"
    assert is_valid_uscc("91350100m000100y43")
    assert uscc_check_character("91350100m000100y4") == "3"


def test_wrong_uscc_check_character_is_accepted_with_a_warning() -> None:
    subject = normalise_uscc("91350100M000100Y44")
    assert subject.kind is SubjectKind.ORGANISATION
    assert subject.value == "91350100M000100Y44"
    assert subject.warnings == (
        "check character does not match (expected '3'); legacy code flagged for review",
    )
    assert not is_valid_uscc("91350100M000100Y44")
    assert parse_subject("91350100M000100Y44") == subject


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V", "i", "o", "z", "s", "v"])
def test_letters_left_out_of_the_alphabet_are_refused(letter: str) -> None:
    code = "91350100M000100Y4" + letter
    error = refusal(normalise_uscc, code)
    assert error.details["reason"] == "bad-characters"
    assert f"it contains {letter!r}" in error.message
    assert "I, O, S, V and Z are never used" in error.message
    assert not is_valid_uscc(code)
    assert refusal(parse_subject, code).details["reason"] == "bad-characters"


@pytest.mark.parametrize(
    "code", ["91350100M0001-0Y43", "91350100M000100Y4é", "9135０100M000100Y43"]
)
def test_symbols_and_non_ascii_are_refused(code: str) -> None:
    error = refusal(normalise_uscc, code)
    assert error.details["reason"] == "bad-characters"


def test_division_code_must_be_digits() -> None:
    first17 = "9135A100M000100Y4"
    code = first17 + uscc_check_character(first17)
    error = refusal(normalise_uscc, code)
    assert error.details["reason"] == "bad-characters"
    assert "administrative division code" in error.message
    assert not is_valid_uscc(code)


@pytest.mark.parametrize("code", ["", "91350100M000100Y4", "91350100M000100Y433", "9135"])
def test_wrong_uscc_length_is_refused(code: str) -> None:
    error = refusal(normalise_uscc, code)
    assert error.details["reason"] == "bad-length"
    assert error.details["identifier"] == code
    assert not is_valid_uscc(code)


@pytest.mark.parametrize("first17", ["91350100M000100Y", "91350100I000100Y4", "91350100M000100Y43"])
def test_uscc_check_character_needs_17_alphabet_characters(first17: str) -> None:
    error = refusal(uscc_check_character, first17)
    assert error.details["reason"] in {"bad-length", "bad-characters"}


# --- unified social credit codes: properties -------------------------------------------------


@given(uscc_prefixes())
def test_uscc_check_character_matches_the_formula(prefix: str) -> None:
    check = uscc_check_character(prefix)
    assert check == reference_uscc_check(prefix)
    assert check == stdnum_uscc.calc_check_digit(prefix.upper())
    assert stdnum_uscc.is_valid(prefix + check) == prefix[:2].isdigit()  # stdnum wants digits


@given(uscc_prefixes(), st.sampled_from(USCC_ALPHABET))
def test_only_the_right_uscc_check_character_is_valid(prefix: str, check: str) -> None:
    right = uscc_check_character(prefix)
    assert is_valid_uscc(prefix + right)
    assert normalise_uscc(prefix.lower() + right).warnings == ()
    if check != right:
        assert not is_valid_uscc(prefix + check)
        subject = normalise_uscc(prefix + check)
        assert subject.value == prefix + check
        assert len(subject.warnings) == 1
        assert f"expected {right!r}" in subject.warnings[0]


# --- parse_subject ---------------------------------------------------------------------------


def find_lookalike(prefix16: str) -> str:
    """A resident-looking number whose resident check fails but whose USCC check matches."""
    for digit in "0123456789":
        first17 = prefix16 + digit
        check = uscc_check_character(first17)
        if check in RESIDENT_CHECKS and check != resident_check_character(first17):
            return first17 + check
    raise AssertionError("no lookalike found")  # pragma: no cover


def test_all_digit_resident_lookalike_with_valid_uscc_check_is_refused_as_a_person() -> None:
    """Never reinterpreted: a resident number failing its check is refused, even when the same
    digits would make a credit code whose check matches; declared, it is a credit code."""
    number = find_lookalike("1101051949123100")
    assert not is_valid_resident_id(number)
    assert is_valid_uscc(number)
    error = refusal(parse_subject, number)
    assert error.details["reason"] == "bad-check-character"
    assert error.details["hint"] == ALL_DIGITS_HINT
    declared = parse_subject(number, IdentifierKind.USCC)
    assert declared == SubjectId(SubjectKind.ORGANISATION, number)


def test_resident_lookalike_failing_both_checks_is_refused_as_a_resident_number() -> None:
    # 110105194912310021: plausible address code and birth date, both check characters wrong.
    assert not is_valid_uscc("110105194912310021")
    error = refusal(parse_subject, "110105194912310021")
    assert error.details["reason"] == "bad-check-character"
    assert "resident identity number" in error.message


def test_a_mistyped_birth_date_is_refused_never_read_as_an_organisation() -> None:
    """Regression: a resident number with an impossible date (30 February) was read as a
    legacy credit code, an organisation, and then published unmasked on a public list."""
    error = refusal(parse_subject, "110105194902300021")
    assert error.details["reason"] == "bad-birth-date"
    assert "resident identity number" in error.message
    assert error.details["scheme"] == "resident-identity-number"


def test_all_digits_starting_with_9_are_a_permanent_residence_card_unless_declared() -> None:
    error = refusal(parse_subject, "913501001234567890")
    assert error.details["scheme"] == "permanent-residence-card"
    declared = parse_subject("913501001234567890", "unified-social-credit-code")
    assert declared.kind is SubjectKind.ORGANISATION
    assert declared.warnings == (
        "check character does not match (expected 'U'); legacy code flagged for review",
    )


@pytest.mark.parametrize("text", ["", "   ", "12345", "1101054912310021", "91350100M000100Y4"])
def test_parse_subject_refuses_other_lengths(text: str) -> None:
    error = refusal(parse_subject, text)
    assert error.details["reason"] == "bad-length"
    assert "resident identity number or unified social credit code" in error.message


@given(valid_resident_ids())
def test_parse_subject_reads_valid_resident_ids_as_persons(number: str) -> None:
    assert parse_subject(number) == SubjectId(SubjectKind.PERSON, number)


@given(valid_usccs())
def test_parse_subject_reads_valid_usccs_as_organisations(code: str) -> None:
    declared = parse_subject(code, IdentifierKind.USCC)
    assert declared == SubjectId(SubjectKind.ORGANISATION, code)
    if any(c.isalpha() for c in code[:17]) or code[17] not in RESIDENT_CHECKS:
        assert parse_subject(code) == declared  # a letter: only a credit code has one
    else:
        try:  # all digits: a person's number of the layout of GB 11643, or refused
            assert parse_subject(code).kind is SubjectKind.PERSON
        except IdentifierError as error:
            assert error.details["hint"] == ALL_DIGITS_HINT


@given(
    st.one_of(
        valid_resident_ids(),
        legacy_resident_numbers(),
        valid_usccs(),
        legacy_usccs(),
        valid_resident_ids().map(str.lower),
        valid_usccs().map(lambda code: f"  {code.lower()} "),
    )
)
def test_parse_subject_is_idempotent_on_its_canonical_output(text: str) -> None:
    try:
        first = parse_subject(text)
    except IdentifierError as error:
        # Only a credit code of digits (which must be declared) may be refused.
        assert error.details["hint"] == ALL_DIGITS_HINT
        declared = parse_subject(text, IdentifierKind.USCC)
        assert parse_subject(declared.value, IdentifierKind.USCC) == declared
        return
    assert len(first.value) == 18
    assert first.value == first.value.upper()
    assert parse_subject(first.value) == first


@given(
    st.text(max_size=25) | st.text(alphabet=USCC_ALPHABET + "xyIOZSV -", min_size=15, max_size=19)
)
def test_parse_subject_accepts_or_refuses_with_details(text: str) -> None:
    try:
        subject = parse_subject(text)
    except IdentifierError as error:
        assert error.details["reason"] in REASONS
        assert isinstance(error.details["identifier"], str)
        assert error.message.startswith(repr(error.details["identifier"]))
    else:
        assert subject.identifier_kind is not None
        assert parse_subject(subject.value) == subject


def test_resident_number_with_a_mistyped_last_character_is_refused() -> None:
    """'...002Y' is a person's number with a typo, not a legacy credit code."""
    with pytest.raises(IdentifierError):
        parse_subject("11010519491231002Y")


def test_example_identifiers_are_valid_and_distinct() -> None:
    numbers = [*range(2500), 9_999_999]
    persons = [example_resident_id(n, "371082") for n in numbers]
    organisations = [example_credit_code(n) for n in numbers]
    assert len(set(persons)) == len(set(organisations)) == len(numbers)
    assert all(is_valid_resident_id(p) for p in persons)
    assert all(is_valid_uscc(o) for o in organisations)
    with pytest.raises(ValueError):
        example_credit_code(10_000_000)


# --- the quick path for canonical resident numbers --------------------------------------------

_RESIDENT_LIKE = st.text(st.sampled_from("0123456789Xx \t"), min_size=14, max_size=20)


@given(
    st.one_of(_RESIDENT_LIKE, resident_prefixes().map(lambda p: p + resident_check_character(p)))
)
def test_the_quick_path_agrees_with_the_full_checks(text: str) -> None:
    """``is_canonical_resident_id`` says yes exactly when the full checks accept ``text`` and
    leave it unchanged, and ``parse_subject`` gives what the full checks give."""
    assert is_canonical_resident_id(text) == (
        is_valid_resident_id(text) and normalise_resident_id(text) == text
    )
    if is_canonical_resident_id(text):
        assert parse_subject(text) == SubjectId(SubjectKind.PERSON, text)


@given(st.text(st.sampled_from("0123456789"), min_size=8, max_size=8))
def test_birth_date_problem_matches_the_calendar(digits: str) -> None:
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    try:
        real = 1800 <= year <= 2100 and date(year, month, day) is not None
    except ValueError:
        real = False
    assert (birth_date_problem("110101" + digits + "0000") is None) == real
