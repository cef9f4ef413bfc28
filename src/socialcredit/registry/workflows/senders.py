"""Notice senders: a file (JSON Lines) or console sender by default, and SMTP (the text in the
subject's language, to the subject's own address when the contact directory has one)."""

from __future__ import annotations

import json
import smtplib
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from socialcredit.registry.workflows.templating import DEFAULT_LOCALE, render_notice
from socialcredit.registry.writes.notices import OutgoingNotice


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
        locale = notice.locale or DEFAULT_LOCALE
        subject_line, text = render_notice(notice, locale)
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = notice.email or self.recipient.format(subject=notice.subject)
        message["Subject"] = subject_line
        message["X-Notice-Id"] = str(notice.id)
        message.set_content(text)
        message["Content-Language"] = locale  # after set_content, which resets Content-*
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
            client.send_message(message)
