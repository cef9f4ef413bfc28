"""``socialcredit serve`` serves the portal: its factory builds the API with the portal mounted,
from the settings the command puts in the environment; a malformed ``--smtp`` is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from socialcredit.cli.app import app as cli
from socialcredit.registry.settings import ENV_DATABASE_URL
from socialcredit.web.main import app_from_environment
from socialcredit.web.settings import ENV_SECRET, ENV_SMTP, PortalSettings
from tests.web.seed import seed


def test_the_factory_serves_the_api_and_the_portal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    seed(url).registry.close()
    monkeypatch.setenv(ENV_DATABASE_URL, url)
    monkeypatch.setenv(ENV_SECRET, "s" * 40)
    monkeypatch.setenv(ENV_SMTP, "127.0.0.1:2525")
    with TestClient(app_from_environment(), base_url="https://testserver") as client:
        assert client.get("/v1/health").json()["status"] == "ok"
        assert "Credit registry portal" in client.get("/?lang=en").text
        assert "/sign-in" not in client.get("/openapi.json").text  # pages stay out of the API
    found = PortalSettings.from_environment({ENV_SECRET: "s" * 40, ENV_SMTP: "mail:2525"})
    assert (found.smtp_host, found.smtp_port, found.secure_cookies) == ("mail", 2525, True)


def test_serve_refuses_a_malformed_smtp_address(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    seed(url).registry.close()
    result = CliRunner().invoke(cli, ["serve", "--smtp", "mail-without-port", "--db", url])
    assert result.exit_code != 0 and "HOST:PORT" in result.output
