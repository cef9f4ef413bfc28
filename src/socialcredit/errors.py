"""The one exception root of the package.

Every error the package raises on purpose is a :class:`SocialCreditError`. Each carries a stable
machine-readable ``code``, a human message, and structured ``details`` so that the command line
and (later) the HTTP API can render it without parsing strings (modelled on yente's ``exc.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Problem:
    """One located problem: where it is, which rule it breaks and what is wrong."""

    location: str
    rule: str
    message: str
    line: int | None = None
    column: int | None = None

    def render(self) -> str:
        """``PATH:LINE:COLUMN: [rule] message`` (line and column only when known)."""
        where = self.location
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: [{self.rule}] {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "message": self.message,
        }


class SocialCreditError(Exception):
    """Root of every error raised by socialcredit on purpose."""

    code: ClassVar[str] = "socialcredit-error"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class ProblemsError(SocialCreditError):
    """An error made of several located problems, all reported at once."""

    code = "problems"
    http_status = 422

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message, {"problems": [p.as_dict() for p in problems]})
        self.problems = list(problems)

    def __str__(self) -> str:
        lines = [self.message, *(p.render() for p in self.problems)]
        return "\n".join(lines)


class PolicyError(ProblemsError):
    """A policy was refused: its shape, its cross-references or a safeguard."""

    code = "policy-invalid"


class RecordError(ProblemsError):
    """One or more records were refused (bad identifier, unknown item, impossible dates...)."""

    code = "record-invalid"


class MappingError(ProblemsError):
    """An agency's mapping file was refused: its shape or its cross-references to the policy."""

    code = "mapping-invalid"


class LinkError(ProblemsError):
    """One or more links were refused (wrong kind of subject, a role the agency cannot
    establish, overlapping links, impossible dates...)."""

    code = "link-invalid"


class IdentifierError(SocialCreditError):
    """A subject identifier is not a valid resident identity number or credit code."""

    code = "identifier-invalid"
    http_status = 422


class InputError(SocialCreditError):
    """An input file cannot be read at all (missing, unreadable, unknown format)."""

    code = "input-invalid"
    http_status = 400


class RegistryError(SocialCreditError):
    """The registry refused an operation; nothing was changed."""

    code = "registry-error"
    http_status = 409


class RecordConflictError(RegistryError):
    """A different payload was submitted under an already registered (agency, record id)."""

    code = "record-conflict"


class LinkConflictError(RegistryError):
    """A different payload was submitted under an already registered (agency, link id)."""

    code = "link-conflict"


class NotFoundError(RegistryError):
    """A record, subject, service or registry that the operation names does not exist."""

    code = "not-found"
    http_status = 404


class LifecycleError(RegistryError):
    """A status change that the record's history does not allow (dates out of order...)."""

    code = "lifecycle-invalid"
    http_status = 422


class TemplateMissingError(RegistryError):
    """No notice template for a kind of notice in the subject's language."""

    code = "template-missing"


class AccessDeniedError(RegistryError):
    """The actor may not do this (principle 12: least access)."""

    code = "access-denied"
    http_status = 403


class DatasetError(ProblemsError):
    """A columnar dataset (a Parquet directory) was refused: missing columns, wrong types,
    invalid rows. Each problem names the file, the row group and the column."""

    code = "dataset-invalid"


class RequestInvalidError(RegistryError):
    """A request the registry refuses for what it asks (an unknown role, a missing scope, an
    objection to a record that is not the subject's...); nothing was changed."""

    code = "request-invalid"
    http_status = 422


class AlreadyDecidedError(RegistryError):
    """An objection or repair application was already decided (decisions are final)."""

    code = "already-decided"


class AttachmentTooLargeError(RegistryError):
    """An evidence attachment larger than the registry's ``attachment_max_bytes``."""

    code = "attachment-too-large"
    http_status = 413


class AttachmentTypeError(RegistryError):
    """An evidence attachment whose content is not one of the accepted types (PDF, PNG,
    JPEG, read from its first bytes), or whose file name says another type."""

    code = "attachment-type"
    http_status = 415


class AuthenticationError(SocialCreditError):
    """No API key, or an unknown or revoked one."""

    code = "unauthenticated"
    http_status = 401


class FeedCursorError(SocialCreditError):
    """A feed cursor that is not one the registry signed (malformed or tampered with)."""

    code = "feed-cursor-invalid"
    http_status = 400


class FeedCursorForeignError(AccessDeniedError):
    """A feed cursor signed for another service provider."""

    code = "feed-cursor-foreign"


class FeedCursorExpiredError(SocialCreditError):
    """A feed cursor past its expiry: start again from an empty cursor or a snapshot."""

    code = "feed-cursor-expired"
    http_status = 410


class WebhookError(RequestInvalidError):
    """A webhook endpoint or delivery the registry refuses (bad URL, unknown or removed
    endpoint, a delivery that is not a dead letter)."""

    code = "webhook-invalid"


class FeedFileError(SocialCreditError):
    """A feed file that does not verify: bad signature, altered data, wrong counts."""

    code = "feed-file-invalid"
    http_status = 422
