"""The contact directory's channel picks the sender: e-mail, or SMS through the gateway; an SMS
notice with no gateway stays queued with the error; a channel without its address is refused."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from socialcredit.errors import RequestInvalidError
from socialcredit.registry import Registry
from socialcredit.registry.store.models import Notice
from socialcredit.registry.workflows.contacts import ContactSpec, set_contact
from socialcredit.registry.workflows.senders import ChannelSender
from socialcredit.registry.writes.notices import OutgoingNotice, deliver
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, P2, spc


@dataclass
class Collected:
    """A sender that keeps what it is given (the outbox's protocol)."""

    sent: list[OutgoingNotice] = field(default_factory=list)

    def send(self, notice: OutgoingNotice) -> None:
        self.sent.append(notice)


def test_each_notice_goes_through_its_addressees_channel(registry: Registry) -> None:
    set_contact(
        registry,
        P1,
        ContactSpec("zh", email="p1@example.test", phone="+8613800138000", channel="sms"),
        OPERATOR,
    )
    set_contact(registry, P2, ContactSpec("en", email="p2@example.test"), OPERATOR)
    for n, subject in enumerate((P1, P2)):
        submit_record(registry, spc(f"c-{n}", subject=subject), Submission(COURT, OPERATOR))
    email, sms = Collected(), Collected()
    report = deliver(registry.sessions, ChannelSender(email, sms))
    assert report.failed == 0
    assert {n.subject for n in sms.sent} == {P1}
    assert {n.subject for n in email.sent} == {P2}
    assert {n.phone for n in sms.sent} == {"+8613800138000"}


def test_an_sms_notice_without_a_gateway_stays_queued(registry: Registry) -> None:
    set_contact(registry, P1, ContactSpec("zh", phone="13800138000"), OPERATOR)
    submit_record(registry, spc("c-1"), Submission(COURT, OPERATOR))
    report = deliver(registry.sessions, ChannelSender(Collected()))
    assert (report.sent, report.failed) == (0, report.pending)
    with registry.session() as session:
        errors = set(session.execute(select(Notice.last_error)).scalars())
    assert errors and all(e is not None and "no SMS gateway is configured" in e for e in errors)


def test_a_channel_needs_its_address(registry: Registry) -> None:
    with pytest.raises(RequestInvalidError, match="the sms channel needs a phone"):
        set_contact(
            registry, P1, ContactSpec("zh", email="p1@example.test", channel="sms"), OPERATOR
        )
    with pytest.raises(RequestInvalidError, match="not a phone number"):
        set_contact(registry, P1, ContactSpec("zh", phone="call me"), OPERATOR)
    with pytest.raises(RequestInvalidError, match="no channel 'fax'"):
        set_contact(
            registry, P1, ContactSpec("zh", email="p1@example.test", channel="fax"), OPERATOR
        )
