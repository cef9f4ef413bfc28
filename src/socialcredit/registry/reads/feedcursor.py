"""Feed cursors: opaque, signed, bound to one service provider, with an expiry.

A cursor is ``<payload>.<tag>``, both base64url without padding: the payload is the compact JSON
``{"v": 1, "p": principal id, "n": feed position, "x": expiry (Unix seconds)}`` and the tag its
HMAC-SHA256 under a key derived from the registry's own secret (the audit pseudonym key, with
a label of its own: the key never leaves the registry). A provider cannot forge or move a
cursor; a cursor of another provider, a tampered one and an expired one are refused with errors
of their own (400, 403, 410).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson

from socialcredit.errors import FeedCursorError, FeedCursorExpiredError, FeedCursorForeignError

CURSOR_TTL = timedelta(days=30)
"""How long a cursor may be used after it was issued (every page issues a fresh one)."""

_LABEL = b"socialcredit feed cursor v1"


def cursor_key(audit_key: str) -> bytes:
    """The cursors' HMAC key, derived from the registry's audit key (hex)."""
    return hmac.new(bytes.fromhex(audit_key), _LABEL, hashlib.sha256).digest()


@dataclass(frozen=True)
class Cursor:
    principal: int
    position: int
    expires: int  # Unix seconds


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(key: bytes, principal: int, position: int, now: datetime, ttl: timedelta) -> str:
    """A cursor for ``principal`` at ``position``, valid until ``now + ttl``."""
    expires = int((now + ttl).timestamp())
    payload = orjson.dumps({"v": 1, "p": principal, "n": position, "x": expires})
    tag = hmac.new(key, payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(tag)}"


def _invalid(why: str) -> FeedCursorError:
    return FeedCursorError(f"this feed cursor is not valid ({why}); start from an empty cursor")


def _decode(key: bytes, text: str) -> Cursor:
    try:
        payload_text, tag_text = text.split(".")
        payload, tag = _unb64(payload_text), _unb64(tag_text)
    except (ValueError, binascii.Error):
        raise _invalid("malformed") from None
    if not hmac.compare_digest(hmac.new(key, payload, hashlib.sha256).digest(), tag):
        raise _invalid("its signature does not match")
    try:
        found = orjson.loads(payload)
        return Cursor(int(found["p"]), int(found["n"]), int(found["x"]))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):  # pragma: no cover
        raise _invalid("unreadable payload") from None


def read(key: bytes, text: str, principal: int, now: datetime) -> Cursor:
    """The cursor ``text`` for ``principal``: refused if tampered (400), another provider's
    (403) or expired (410)."""
    cursor = _decode(key, text)
    if cursor.principal != principal:
        raise FeedCursorForeignError(
            "this feed cursor was issued to another service provider",
            {"principal": principal},
        )
    if cursor.expires <= now.timestamp():
        expired = datetime.fromtimestamp(cursor.expires, UTC).isoformat()
        raise FeedCursorExpiredError(
            f"this feed cursor expired at {expired}; start again from an empty cursor or "
            "from the position of a full export",
            {"expired_at": expired},
        )
    return cursor
