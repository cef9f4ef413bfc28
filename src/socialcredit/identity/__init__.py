"""Subject identifiers: parsing, check characters and normalisation (pure).

A person is identified by a resident identity number (GB 11643), a residence permit of a Hong
Kong, Macao or Taiwan resident, a foreigner's permanent residence card or a passport; an
organisation by a unified social credit code (GB 32100) or an older organisation code (GB
11714). Every refusal is an :class:`~socialcredit.errors.IdentifierError` whose ``details`` hold
the ``identifier`` and a machine ``reason`` (docs/identity.md).
"""

from socialcredit.identity.birth import birth_date
from socialcredit.identity.embedding import (
    OrganisationCodeIndex,
    is_organisation_code_key,
    shown_organisation_code,
)
from socialcredit.identity.examples import example_credit_code, example_resident_id
from socialcredit.identity.kinds import IdentifierKind, SubjectId, SubjectKind
from socialcredit.identity.lookup import parse_lookup
from socialcredit.identity.orgcode import (
    normalise_organisation_code,
    organisation_code_check_character,
    organisation_code_of,
)
from socialcredit.identity.passport import normalise_passport
from socialcredit.identity.permits import (
    normalise_permanent_residence,
    normalise_residence_permit,
)
from socialcredit.identity.resident import (
    is_valid_resident_id,
    normalise_resident_id,
    resident_check_character,
)
from socialcredit.identity.subject import inferred_kind, key_kind, parse_subject
from socialcredit.identity.uscc import is_valid_uscc, normalise_uscc, uscc_check_character

__all__ = [
    "IdentifierKind",
    "OrganisationCodeIndex",
    "SubjectId",
    "SubjectKind",
    "birth_date",
    "example_credit_code",
    "example_resident_id",
    "inferred_kind",
    "is_organisation_code_key",
    "is_valid_resident_id",
    "is_valid_uscc",
    "key_kind",
    "normalise_organisation_code",
    "normalise_passport",
    "normalise_permanent_residence",
    "normalise_residence_permit",
    "normalise_resident_id",
    "normalise_uscc",
    "organisation_code_check_character",
    "organisation_code_of",
    "parse_lookup",
    "parse_subject",
    "resident_check_character",
    "shown_organisation_code",
    "uscc_check_character",
]
