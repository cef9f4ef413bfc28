"""Notice senders: a file (JSON Lines) or console sender by default, SMTP (the text in the
subject's language, to the subject's own address when the contact directory has one), SMS
through a Kannel gateway's HTTP ``sendsms`` interface (with a delivery report callback), and
the sender that picks one of them by the channel in the contact directory."""

from __future__ import annotations

import json
import smtplib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

from socialcredit.registry.workflows.templating import DEFAULT_LOCALE, render_notice
from socialcredit.registry.writes.notices import NoticeSender, OutgoingNotice

DLR_MASK = 1 | 2 | 8 | 16
"""Kannel delivery reports asked for: delivered, not delivered, accepted and refused by the SMSC."""


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
        message["To"] = notice.email or self.recipient.format(subject=notice.subject or "review")
        message["Subject"] = subject_line
        message["X-Notice-Id"] = str(notice.id)
        message.set_content(text)
        message["Content-Language"] = locale  # after set_content, which resets Content-*
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
            client.send_message(message)


class ChannelError(RuntimeError):
    """A notice cannot go through the channel its addressee chose (the notice stays queued)."""


@dataclass(frozen=True)
class KannelSender:
    """Sends each notice as an SMS through Kannel's ``sendsms`` (``sendsms_url``, e.g.
    ``http://127.0.0.1:13013/cgi-bin/sendsms``) to the addressee's phone, in its language
    (UCS-2 when it is not ASCII; Kannel splits a long text into concatenated parts). With
    ``dlr_url`` (the registry API's ``/v1/channels/sms/dlr``) and ``tokens`` (a notice's
    receipt token, ``workflows.receiptlinks``) Kannel reports delivery back to the registry."""

    sendsms_url: str
    username: str
    password: str
    dlr_url: str | None = None
    tokens: Callable[[int], str] | None = None
    sender_id: str | None = None
    timeout: float = 10.0

    def send(self, notice: OutgoingNotice) -> None:
        if not notice.phone:
            raise ChannelError(f"notice {notice.id}: no phone number for an SMS")
        subject_line, text = render_notice(notice, notice.locale or DEFAULT_LOCALE)
        message = f"{subject_line}\n{text}".strip()
        params = {
            "username": self.username,
            "password": self.password,
            "to": notice.phone,
            "text": message,
            "charset": "UTF-8",
            "coding": "0" if message.isascii() else "2",
        }
        if self.sender_id is not None:
            params["from"] = self.sender_id
        if self.dlr_url is not None and self.tokens is not None:
            token = self.tokens(notice.id)
            callback = f"{self.dlr_url}?notice={notice.id}&token={token}&type=%d&detail=%A"
            params |= {"dlr-mask": str(DLR_MASK), "dlr-url": callback}
        url = f"{self.sendsms_url}?{urlencode(params)}"
        with urlopen(url, timeout=self.timeout) as response:
            answer = response.read().decode("utf-8", "replace")
        if not answer.startswith(("0:", "3:")):  # accepted, or queued for later delivery
            raise ChannelError(f"Kannel refused notice {notice.id}: {answer.strip()[:200]}")


@dataclass(frozen=True)
class ChannelSender:
    """Sends each notice through its addressee's channel: ``sms`` when the contact directory
    says so (or gives only a phone), else ``email``; with no SMS gateway an SMS notice stays
    queued with the error."""

    email: NoticeSender
    sms: NoticeSender | None = None

    def send(self, notice: OutgoingNotice) -> None:
        channel = notice.channel or ("sms" if notice.phone and not notice.email else "email")
        if channel != "sms":
            self.email.send(notice)
            return
        if self.sms is None:
            raise ChannelError(f"notice {notice.id} goes by SMS and no SMS gateway is configured")
        self.sms.send(notice)
