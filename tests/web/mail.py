"""A local SMTP server (aiosmtpd) that keeps what it receives: the portal's one-time codes."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def last_code(self, to: str) -> str:
        """The code of the newest message to ``to``."""
        for message in reversed(self.messages):
            if message["To"] == to:
                found = re.search(r"code[:：]\s*(\d+)", str(message.get_payload()))
                assert found is not None, message.get_payload()
                return found.group(1)
        raise AssertionError(f"no message to {to}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()
