"""`audit keygen`, `audit checkpoint`, `audit verify --anchors` and `audit prove` as an
operator runs them, including a rewrite the chain alone does not show."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from socialcredit.cli.app import app
from tests.registry.conftest import EXAMPLES

RUNNER = CliRunner()


def _run(*args: str, code: int = 0) -> str:
    result = RUNNER.invoke(app, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result.output + result.stderr


def test_anchored_verification_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'registry.db'}"
    key, anchors = tmp_path / "keys" / "anchor.pem", tmp_path / "anchors"
    key.parent.mkdir()
    _run("init", "--db", db, "--policy", str(EXAMPLES), "--as-of", "2025-01-01")
    assert "public key" in _run("audit", "keygen", "--out", str(key))
    assert key.stat().st_mode & 0o777 == 0o600
    _run("audit", "keygen", "--out", str(key), code=2)  # never overwrites a key
    pub = str(key) + ".pub"
    _run("audit", "verify", "--db", db, "--anchors", str(anchors), code=1)  # needs the key
    assert "checkpoint:" in _run(
        "audit", "checkpoint", "--key", str(key), "--anchors", str(anchors), "--db", db
    )
    out = _run("audit", "verify", "--db", db, "--anchors", str(anchors), "--public-key", pub)
    assert "matching 1 signed checkpoints" in out
    proof = json.loads(_run("audit", "prove", "1", "--db", db, "--anchors", str(anchors)))
    assert proof["seq"] == 1 and proof["tree_size"] >= 1
    with sqlite3.connect(tmp_path / "registry.db") as conn:  # a writer rolls the head back
        conn.execute("DELETE FROM audit_log")
        conn.execute("UPDATE registry_state SET audit_seq = 0, audit_head = ?", ("0" * 64,))
    assert "intact: 0 entries" in _run("audit", "verify", "--db", db)
    out = _run(
        "audit", "verify", "--db", db, "--anchors", str(anchors), "--public-key", pub, code=1
    )
    assert "does not match its anchors" in out
