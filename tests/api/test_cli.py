"""`socialcredit principal create|list|revoke` and `socialcredit serve`."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from socialcredit.cli.app import app
from socialcredit.cli.principal_cmd import Role
from socialcredit.registry.workflows.principals import ROLES, list_principals
from tests.api.conftest import open_registry

runner = CliRunner()


def test_principal_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    open_registry(url).close()
    created = runner.invoke(
        app,
        [
            "principal",
            "create",
            "airline",
            "--role",
            "service",
            "--service",
            "flight-booking",
            "--db",
            url,
        ],
    )
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert key.startswith("sck_") and len(key) > 40
    listed = runner.invoke(app, ["principal", "list", "--db", url])
    assert "airline" in listed.output and key not in listed.output
    refused = runner.invoke(app, ["principal", "create", "x", "--role", "agency", "--db", url])
    assert refused.exit_code == 1 and "--authority" in refused.output
    assert runner.invoke(app, ["principal", "revoke", "1", "--db", url]).exit_code == 0
    again = runner.invoke(app, ["principal", "revoke", "1", "--db", url])
    assert again.exit_code == 1 and "already revoked" in again.output


def test_role_is_one_of_the_registry_roles(tmp_path: Path) -> None:
    assert tuple(r.value for r in Role) == ROLES  # the CLI's choice is the registry's list
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    open_registry(url).close()
    refused = runner.invoke(app, ["principal", "create", "x", "--role", "boss", "--db", url])
    assert refused.exit_code == 2
    assert "'boss' is not one of" in refused.output and "'reviewer'" in refused.output
    reg = open_registry(url)
    try:
        assert list_principals(reg, 10, 0) == ([], 0)
    finally:
        reg.close()


def test_serve_refuses_an_empty_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert result.exit_code == 1 and "no registry" in result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.slow  # a real server
def test_serve_answers_over_http(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    open_registry(url).close()
    port = _free_port()
    program = Path(sys.executable).parent / "socialcredit"  # the installed entry point
    server = subprocess.Popen(
        [str(program), "serve", "--port", str(port), "--db", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        assert health.json() == {"status": "ok", "registry_date": "2025-01-01"}
    finally:
        server.terminate()
        server.wait(20)
