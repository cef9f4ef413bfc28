"""Notice senders: a file (JSON Lines) or console sender by default, and SMTP."""

from __future__ import annotations

import json
import smtplib
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from socialcredit.registry.writes.notices import OutgoingNotice

SUBJECT_LINES = {
    "record": "A record has been registered about you",
    "list-entry": "You have been placed on a list",
    "list-exit": "You are no longer on a list",
}


def notice_text(notice: OutgoingNotice) -> str:
    """The human text of a notice: its kind, then its content as sorted ``key: value`` lines."""
    lines = [SUBJECT_LINES.get(notice.kind, notice.kind), ""]
    lines += [f"{key}: {value}" for key, value in sorted(notice.body.items())]
    return "\n".join(lines) + "\n"


def _line(notice: OutgoingNotice) -> str:
    return json.dumps(
        {"id": notice.id, "subject": notice.subject, "kind": notice.kind, "body": notice.body},
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )


@dataclass(frozen=True)
class FileSender:
    """Appends one JSON object per notice to ``path``, or prints it when ``path`` is None."""

    path: Path | None = None

    def send(self, notice: OutgoingNotice) -> None:
        if self.path is None:
            sys.stdout.write(_line(notice) + "\n")
            return
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(_line(notice) + "\n")


@dataclass(frozen=True)
class SmtpSender:
    """Sends each notice as an e-mail to ``recipient`` (``{subject}`` is replaced)."""

    host: str
    port: int
    sender: str = "registry@localhost"
    recipient: str = "{subject}@notices.invalid"
    timeout: float = 10.0

    def send(self, notice: OutgoingNotice) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = self.recipient.format(subject=notice.subject)
        message["Subject"] = SUBJECT_LINES.get(notice.kind, notice.kind)
        message["X-Notice-Id"] = str(notice.id)
        message.set_content(notice_text(notice))
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
            client.send_message(message)
