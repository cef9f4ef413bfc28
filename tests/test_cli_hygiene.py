"""The command line meets bad input with a message and an exit code, never a traceback: binary,
UTF-16 and deeply nested files, malformed database URLs, NUL characters in records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialcredit.cli.app import app
from tests.conftest import ROOT

RUNNER = CliRunner()
EXAMPLES = str(ROOT / "policies" / "examples")
COURT = "The enforcing people's court"
P1 = "11010519491231002X"


def _fails(args: list[str], code: int, says: str) -> None:
    result = RUNNER.invoke(app, args)
    output = result.output + result.stderr
    assert result.exit_code == code, output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert says in output, output


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    init = ["init", "--db", url, "--policy", EXAMPLES, "--as-of", "2025-01-01"]
    assert RUNNER.invoke(app, init).exit_code == 0
    return url


def _file(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_unreadable_record_files(db: str, tmp_path: Path) -> None:
    submit = ["records", "submit", "--agency", COURT, "--db", db]
    utf16 = _file(tmp_path, "u.jsonl", '{"id": "x"}\n'.encode("utf-16"))
    _fails([*submit, utf16], 2, "is UTF-16 text; records files are UTF-8")
    binary = _file(tmp_path, "b.jsonl", bytes(range(256)) * 4)
    _fails([*submit, binary], 2, "holds NUL bytes: it is a binary file")
    latin = _file(tmp_path, "l.jsonl", b'{"id": "caf\xe9"}\n')
    _fails([*submit, latin], 1, "line 1 is not UTF-8 text")
    deep = _file(tmp_path, "d.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n")
    _fails([*submit, deep], 1, "nested too deeply")
    csv = _file(tmp_path, "c.csv", b"id,subject\n\xff\xfe,1\n")
    _fails([*submit, csv], 2, "is not UTF-8 text")
    assess = ["assess", "--policy", EXAMPLES, "--as-of", "2025-01-01", "--records"]
    _fails([*assess, utf16], 2, "is UTF-16 text")
    _fails([*assess, deep], 1, "nested too deeply")


def test_nul_in_a_record_is_a_line_problem(db: str, tmp_path: Path) -> None:
    record = {
        "id": "n1",
        "subject": P1,
        "item": "SPC-REFUSE",
        "authority": "Court\x00",
        "reference": "R-1",
        "decided_on": "2024-12-01",
    }
    path = _file(tmp_path, "n.jsonl", (json.dumps(record) + "\n").encode())
    _fails(["records", "submit", path, "--agency", COURT, "--db", db], 1, "control character")


def test_malformed_database_urls(tmp_path: Path) -> None:
    check = ["check", P1, "flight-booking", "--db"]
    _fails([*check, "postgresql+psycopg://u:@@:/"], 2, "not a database URL")
    _fails([*check, "nonsense"], 2, "not a database URL")
    _fails([*check, "mysql://u@localhost/db"], 2, "unsupported database 'mysql'")


def test_deeply_nested_policy(tmp_path: Path) -> None:
    deep = _file(tmp_path, "p.yaml", b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n")
    _fails(["policy", "check", deep], 1, "nested too deeply")
