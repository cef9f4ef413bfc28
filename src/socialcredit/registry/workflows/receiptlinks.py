"""Delivery reports from the channels (principle 4): a channel confirms or reports the failure
of a sent notice by calling the registry back.

Each sent notice gets a receipt token, a keyed digest of its id (HMAC-SHA-256 under the
registry's own secret, labelled for this use), which the sender gives the channel in the
callback address (Kannel's ``dlr-url``) or the receipt carries (an e-mail gateway's delivery
status notification). A report with a wrong token is refused as if the notice did not exist,
changing nothing. Kannel's delivery report types: 1 delivered to the phone, 2 not delivered to
the phone, 16 refused by the SMS centre (final); 4 queued and 8 accepted by the SMS centre are
interim and change nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from sqlalchemy import select

from socialcredit.errors import NotFoundError, RequestInvalidError
from socialcredit.registry.audit import Actor
from socialcredit.registry.context import Registry
from socialcredit.registry.store.models import Notice, RegistryState
from socialcredit.registry.writes.service import Receipt, record_receipt

DELIVERED_TYPES = frozenset({1})
FAILED_TYPES = frozenset({2, 16})
INTERIM_TYPES = frozenset({4, 8})


def _token(key: str, notice_id: int) -> str:
    message = f"notice-receipt:{notice_id}".encode()
    return hmac.new(bytes.fromhex(key), message, hashlib.sha256).hexdigest()[:32]


def receipt_tokens(reg: Registry) -> Callable[[int], str]:
    """The receipt token of a notice id, for senders."""
    with reg.session() as session:
        key = session.execute(select(RegistryState.audit_key)).scalar_one()
    return lambda notice_id: _token(key, notice_id)


def _verified(reg: Registry, notice_id: int, token: str) -> None:
    with reg.session() as session:
        key = session.execute(select(RegistryState.audit_key)).scalar_one()
        known = session.get(Notice, notice_id) is not None
    if not known or not hmac.compare_digest(_token(key, notice_id), token):
        raise NotFoundError(f"no notice {notice_id} with this receipt token", {})


def channel_receipt(
    reg: Registry, notice_id: int, token: str, delivered: bool, detail: str, actor: Actor
) -> Notice:
    """Apply a channel's final report for a sent notice (``writes.service.record_receipt``)."""
    _verified(reg, notice_id, token)
    return record_receipt(reg, Receipt(notice_id, delivered, detail[:1000]), actor)


def sms_report(
    reg: Registry, notice_id: int, token: str, dlr_type: int, detail: str, actor: Actor
) -> Notice | None:
    """Apply a Kannel delivery report of type ``dlr_type``; None for an interim one."""
    if dlr_type in INTERIM_TYPES:
        _verified(reg, notice_id, token)
        return None
    if dlr_type not in DELIVERED_TYPES | FAILED_TYPES:
        raise RequestInvalidError(f"unknown delivery report type {dlr_type}", {"type": dlr_type})
    return channel_receipt(reg, notice_id, token, dlr_type in DELIVERED_TYPES, detail, actor)
