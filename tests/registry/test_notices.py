"""Notices: queued with every negative record and list change, delivered, retried, never lost."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from socialcredit.errors import RequestInvalidError, TemplateMissingError
from socialcredit.registry import Registry
from socialcredit.registry.store.models import Notice
from socialcredit.registry.workflows.contacts import ContactSpec, set_contact
from socialcredit.registry.workflows.senders import FileSender, SmtpSender
from socialcredit.registry.workflows.templating import render_notice
from socialcredit.registry.writes.notices import OutgoingNotice, deliver, due_query
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, spc
from tests.registry.plans import assert_index_range


@pytest.fixture
def noticed(registry: Registry) -> Registry:
    submit_record(registry, spc("n-1", decided=date(2024, 10, 1)), Submission(COURT, OPERATOR))
    return registry


def _notices(reg: Registry) -> list[Notice]:
    with reg.session() as session:
        return list(session.execute(select(Notice).order_by(Notice.id)).scalars())


def test_negative_record_and_list_entry_are_queued(noticed: Registry) -> None:
    found = [(n.kind, n.subject_id, n.status) for n in _notices(noticed)]
    assert found == [("record", P1, "queued"), ("list-entry", P1, "queued")]


def test_file_sender_delivers_once(noticed: Registry, tmp_path: Path) -> None:
    out = tmp_path / "notices.jsonl"
    report = deliver(noticed.sessions, FileSender(out))
    assert (report.sent, report.failed, report.pending) == (2, 0, 0)
    assert [json.loads(line)["kind"] for line in out.read_text().splitlines()] == [
        "record",
        "list-entry",
    ]
    assert deliver(noticed.sessions, FileSender(out)).sent == 0


class Flaky:
    """Fails the first ``failures`` attempts, then records what it sends."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[int] = []

    def send(self, notice: OutgoingNotice) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("mail relay down")
        self.sent.append(notice.id)


def test_failing_sender_is_retried_with_backoff_and_loses_nothing(noticed: Registry) -> None:
    sender = Flaky(failures=3)
    now = datetime.now(UTC) + timedelta(seconds=1)
    first = deliver(noticed.sessions, sender, now)
    assert (first.sent, first.failed, first.pending) == (0, 2, 2)
    notices = _notices(noticed)
    assert all(n.attempts == 1 and "relay down" in (n.last_error or "") for n in notices)
    assert deliver(noticed.sessions, sender, now).sent == 0  # not due before the backoff
    later = deliver(noticed.sessions, sender, now + timedelta(minutes=1))
    assert (later.sent, later.failed) == (1, 1)
    last = deliver(noticed.sessions, sender, now + timedelta(minutes=10))
    assert (last.sent, last.pending) == (1, 0)
    assert sorted(sender.sent) == [n.id for n in notices]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def test_smtp_sender_against_a_real_server(
    noticed: Registry, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    report = deliver(noticed.sessions, SmtpSender("127.0.0.1", port, recipient="{subject}@x.test"))
    assert (report.sent, report.pending) == (2, 0)
    assert [m["To"] for m in inbox.messages] == [f"{P1}@x.test"] * 2
    first = inbox.messages[0]
    assert first["Subject"] == "关于您的一条信用记录已登记"  # Chinese without a contact entry
    assert first["Content-Language"] == "zh"
    text = first.get_content()
    assert "法律依据" in text and "7 日后生效" in text and "15日内" in text


def test_smtp_sends_to_the_subjects_own_address_in_its_language(
    noticed: Registry, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    set_contact(noticed, P1, ContactSpec("en", email="subject@example.test"), OPERATOR)
    report = deliver(noticed.sessions, SmtpSender("127.0.0.1", port, recipient="{subject}@x.test"))
    assert report.sent == 2
    record = inbox.messages[0]
    assert (record["To"], record["Subject"]) == (
        "subject@example.test",
        "A record has been registered about you",
    )
    text = record.get_content()
    assert "The enforcing people's court decides within 15 days" in text
    assert "takes effect 7 days after this notice is served" in text
    assert "Legal basis: " in text and "none stated" not in text
    assert inbox.messages[1]["Subject"] == "A notice from the credit registry (list-entry)"


def test_a_locale_without_templates_is_a_precise_error() -> None:
    notice = OutgoingNotice(1, P1, "record", {"record": "r1"})
    with pytest.raises(
        TemplateMissingError, match="no template for 'record' notices in locale 'fr'"
    ):
        render_notice(notice, "fr")


def test_a_contact_in_a_language_without_templates_is_refused(registry: Registry) -> None:
    with pytest.raises(RequestInvalidError, match="locale 'fr' has no notice templates"):
        set_contact(registry, P1, ContactSpec("fr"), OPERATOR)


def test_smtp_server_down_keeps_notices(noticed: Registry) -> None:
    report = deliver(noticed.sessions, SmtpSender("127.0.0.1", _free_port(), timeout=2))
    assert (report.sent, report.failed, report.pending) == (0, 2, 2)


def test_the_due_notices_are_a_range_of_the_outbox_index(registry: Registry) -> None:
    due = due_query(datetime(2025, 1, 1, tzinfo=UTC), 1000)
    assert_index_range(registry, due, "ix_notices_due", "next_attempt_at")
