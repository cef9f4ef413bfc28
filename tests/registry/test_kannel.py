"""SMS notices through a real Kannel: bearerbox and smsbox from Debian's ``kannel`` package with
the fake SMS centre of ``kannel-extras``, on free ports. The registry's API receives Kannel's
delivery reports (``dlr-url``) and the notice is delivered, its record's notice served."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from typer.testing import CliRunner

from socialcredit.api.app import ApiSettings, create_app
from socialcredit.cli.app import app
from socialcredit.registry import Registry, RegistrySettings
from socialcredit.registry.store.models import Notice, RecordRow
from socialcredit.registry.workflows.contacts import ContactSpec, set_contact
from socialcredit.registry.workflows.receiptlinks import receipt_tokens
from socialcredit.registry.workflows.senders import ChannelSender, FileSender, KannelSender
from socialcredit.registry.writes.notices import deliver
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, spc

BEARERBOX, SMSBOX = Path("/usr/sbin/bearerbox"), Path("/usr/sbin/smsbox")
FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
PHONE = "13800138000"

pytestmark = pytest.mark.skipif(
    not (BEARERBOX.exists() and SMSBOX.exists() and FAKESMSC.exists()),
    reason="Kannel is not installed (apt-get install kannel kannel-extras; make installs it)",
)


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _wait_for(port: int, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


CONFIG = """\
group = core
admin-port = {admin}
admin-password = {password}
smsbox-port = {smsbox}
box-allow-ip = 127.0.0.1
dlr-storage = internal
log-level = 1

group = smsc
smsc = fake
smsc-id = fake
port = {smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = {sendsms}
log-level = 1

group = sendsms-user
username = registry
password = {password}
max-messages = 20
concatenation = true

group = sms-service
keyword = default
text = "no replies"
catch-all = true
"""


@dataclass(frozen=True)
class Kannel:
    sendsms_url: str
    password: str
    received: Path  # what the fake SMS centre got


@pytest.fixture
def kannel(tmp_path: Path) -> Iterator[Kannel]:
    admin, smsbox, smsc, sendsms = _free_ports(4)
    password = "test-password"
    conf = tmp_path / "kannel.conf"
    conf.write_text(CONFIG.format(**locals()), encoding="utf-8")
    received = tmp_path / "fakesmsc.log"
    started: list[subprocess.Popen[bytes]] = []
    logs = [(tmp_path / f"{n}.log").open("wb") for n in ("bearerbox", "smsbox")]
    try:
        started.append(subprocess.Popen([BEARERBOX, conf], stdout=logs[0], stderr=logs[0]))
        _wait_for(smsc)
        with received.open("wb") as out:
            fake = [FAKESMSC, "-H", "127.0.0.1", "-r", str(smsc), "-m", "0", "0 0 text nop"]
            started.append(subprocess.Popen(fake, stdout=out, stderr=out))
        started.append(subprocess.Popen([SMSBOX, conf], stdout=logs[1], stderr=logs[1]))
        _wait_for(sendsms)
        yield Kannel(f"http://127.0.0.1:{sendsms}/cgi-bin/sendsms", password, received)
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


@pytest.fixture
def api_url(registry: Registry) -> Iterator[str]:
    """The registry's HTTP API on a free port (Kannel calls its delivery report route)."""
    (port,) = _free_ports(1)
    settings = ApiSettings(registry=RegistrySettings(database_url=registry.settings.database_url))
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _wait_for(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _until(check: object, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def _served(registry: Registry) -> bool:
    with registry.session() as session:
        notice = session.execute(select(Notice).where(Notice.kind == "record")).scalar_one()
        row = session.execute(select(RecordRow)).scalar_one()
        return notice.status == "delivered" and row.notice == "served"


def test_an_sms_notice_is_delivered_and_reported_back(
    registry: Registry, kannel: Kannel, api_url: str, tmp_path: Path
) -> None:
    set_contact(registry, P1, ContactSpec("zh", phone=PHONE, channel="sms"), OPERATOR)
    record = spc("k-1", decided=date(2024, 12, 20)) | {"notified_on": None}
    submit_record(registry, record, Submission(COURT, OPERATOR))
    sms = KannelSender(
        kannel.sendsms_url,
        "registry",
        kannel.password,
        f"{api_url}/v1/channels/sms/dlr",
        receipt_tokens(registry),
        sender_id="10690000",
    )
    report = deliver(registry.sessions, ChannelSender(FileSender(tmp_path / "mail.jsonl"), sms))
    assert report.sent >= 1 and report.failed == 0

    _until(lambda: _served(registry))
    _until(lambda: PHONE in kannel.received.read_text(encoding="utf-8", errors="replace"))
    lines = kannel.received.read_text(errors="replace").splitlines()
    assert any("Got message" in line and PHONE in line for line in lines)


def test_cli_deliver_through_kannel(
    registry: Registry, kannel: Kannel, api_url: str, db_url: str
) -> None:
    set_contact(registry, P1, ContactSpec("en", phone=PHONE), OPERATOR)  # a phone only: SMS
    record = spc("k-2", decided=date(2024, 12, 20)) | {"notified_on": None}
    submit_record(registry, record, Submission(COURT, OPERATOR))
    args = ["registry", "deliver", "--kannel", kannel.sendsms_url, "--kannel-user", "registry"]
    args += ["--kannel-password", kannel.password, "--sms-from", "10690000"]
    args += ["--dlr-url", f"{api_url}/v1/channels/sms/dlr", "--db", db_url]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "1 sent, 0 failed" in done.output
    _until(lambda: _served(registry))
