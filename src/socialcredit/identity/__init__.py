"""Subject identifiers: parsing, check characters and normalisation (pure).

A person is identified by a resident identity number (GB 11643), an organisation by a unified
social credit code (GB 32100). Every refusal is an :class:`~socialcredit.errors.IdentifierError`
whose ``details`` hold the ``identifier`` and a machine ``reason``.
"""

from socialcredit.identity.birth import birth_date
from socialcredit.identity.examples import example_credit_code, example_resident_id
from socialcredit.identity.kinds import SubjectId, SubjectKind
from socialcredit.identity.resident import (
    is_valid_resident_id,
    normalise_resident_id,
    resident_check_character,
)
from socialcredit.identity.subject import parse_subject
from socialcredit.identity.uscc import is_valid_uscc, normalise_uscc, uscc_check_character

__all__ = [
    "SubjectId",
    "SubjectKind",
    "birth_date",
    "example_credit_code",
    "example_resident_id",
    "is_valid_resident_id",
    "is_valid_uscc",
    "normalise_resident_id",
    "normalise_uscc",
    "parse_subject",
    "resident_check_character",
    "uscc_check_character",
]
