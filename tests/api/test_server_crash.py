"""The server killed (SIGKILL) while agencies submit: every record it acknowledged is stored
whole (its events, its subject's assessment, its audit entry), nothing half-written remains,
the audit chain is intact, and resubmitting everything registers exactly the rest."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from socialcredit.registry import Actor, Registry, RegistrySettings, initialise
from socialcredit.registry.audit import verify
from socialcredit.registry.store.models import AuditEntry, RecordEvent, RecordRow
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from tests.conftest import ROOT
from tests.registry.conftest import START, install_examples
from tests.registry.helpers import COURT, person, spc

pytestmark = pytest.mark.slow  # a killed server
TRIALS = int(os.environ.get("SOCIALCREDIT_CRASH_TRIALS", "2"))
SERVER = """
import sys, uvicorn
from socialcredit.api.app import ApiSettings, create_app
from socialcredit.registry import RegistrySettings
app = create_app(ApiSettings(registry=RegistrySettings(database_url=sys.argv[1])))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    proc = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)], env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).raise_for_status()
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def _kill_after(proc: subprocess.Popen[bytes], acknowledged: list[str], count: int) -> None:
    """SIGKILL the server once ``count`` records were acknowledged, from another thread: the
    client is then most likely in the middle of a request."""
    deadline = time.monotonic() + 120
    while len(acknowledged) < count and time.monotonic() < deadline:
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)


def _trial(tmp_path: Path, trial: int) -> None:
    url = f"sqlite:///{tmp_path / f'crash-{trial}.db'}"
    reg = Registry.open(RegistrySettings(database_url=url))
    initialise(reg, START)
    install_examples(reg)
    _, key = create_principal(reg, PrincipalSpec("court", "agency", authority=COURT), Actor("t"))
    port = _port()
    proc = _serve(url, port)
    acknowledged: list[str] = []
    headers = {"Authorization": f"Bearer {key}"}
    killer = threading.Thread(target=_kill_after, args=(proc, acknowledged, 40 + 17 * trial))
    killer.start()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=5) as http:
        for n in range(2000):
            try:
                answer = http.post("/v1/agency/records", json=spc(f"s-{n}", subject=person(n)))
            except httpx.HTTPError:
                break
            if answer.status_code == 201:
                acknowledged.append(f"s-{n}")
    killer.join()
    proc.wait(timeout=30)
    with reg.session() as session:
        stored = set(session.execute(select(RecordRow.source_id)).scalars())
        assert set(acknowledged) <= stored and len(stored) <= len(acknowledged) + 1
        registered = select(func.count()).where(RecordEvent.kind == "registered")
        assert session.execute(registered).scalar_one() == len(stored)
        audits = select(func.count()).where(AuditEntry.action == "write.record.register")
        assert session.execute(audits).scalar_one() == len(stored)
        assert verify(session).ok
    reg.close()


def test_killed_server_keeps_every_acknowledged_record(tmp_path: Path) -> None:
    for trial in range(TRIALS):
        _trial(tmp_path, trial)
