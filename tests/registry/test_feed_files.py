"""Signed daily feed files: a full snapshot and a delta, their manifest and Ed25519 signature,
and the `feeds` commands end to end (both databases)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from socialcredit.cli.app import app
from socialcredit.errors import FeedFileError, NotFoundError, RequestInvalidError
from socialcredit.registry import Registry
from socialcredit.registry.anchorkeys import generate_key, load_private_key, load_public_key
from socialcredit.registry.reads.feed import Provider, read_feed
from socialcredit.registry.reads.ownfile import accesses_page
from socialcredit.registry.workflows.feedexport import ExportRequest, export, verify
from socialcredit.registry.writes.lifecycle import StatusChange, change_status
from socialcredit.registry.writes.submit import Submission, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import EXAMPLES, OPERATOR
from tests.registry.feeds_helpers import checked, service_provider
from tests.registry.helpers import COURT, P1, P2, spc

SERVICES = ("flight-booking", "rail-high-speed")
RUNNER = CliRunner()


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private = tmp_path / "feed.key"
    return private, generate_key(private)


@pytest.fixture
def rail(registry: Registry) -> Provider:
    for n, subject in enumerate((P1, P2)):
        submit_record(
            registry, spc(f"r-{n}", subject, date(2024, 10, 1)), Submission(COURT, OPERATOR)
        )
    tick(registry, date(2025, 1, 10), OPERATOR)
    change_status(registry, StatusChange("resolve", COURT, "r-1", date(2025, 1, 5)), OPERATOR)
    provider, _ = service_provider(registry, "rail", *SERVICES)
    return provider


def _export(reg: Registry, out: Path, key: Path, day: date, full: bool) -> dict[str, object]:
    request = ExportRequest("rail", day, out, full, load_private_key(key), "tester")
    done = export(reg, request)
    manifest: dict[str, object] = orjson.loads(done.manifest.read_bytes())
    assert manifest["lines"] == done.lines
    return manifest


def test_a_full_snapshot_is_what_checks_say_and_verifies(
    registry: Registry, rail: Provider, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    manifest = _export(registry, tmp_path / "out", keys[0], date(2025, 1, 10), full=True)
    lines = [
        json.loads(x) for x in (tmp_path / "out" / str(manifest["file"])).read_text().splitlines()
    ]
    found = {(x["subject"], x["service"]): (x["effect"], x["reasons"]) for x in lines}
    assert found == checked(registry, [P1, P2], list(SERVICES))
    assert sorted({x["subject"] for x in lines}) == [P1]  # P2's record was resolved
    assert manifest["counts"] == {"deny": 2}
    manifest_path = tmp_path / "out" / "rail-2025-01-10-full.manifest.json"
    assert verify(manifest_path, load_public_key(keys[1]))["kind"] == "full"
    listing = accesses_page(registry, P1, 50, 0, OPERATOR).rows
    assert [e.details["via"] for e in listing if e.action == "read.subject.feed"] == ["file"] * 2
    # the manifest's cursor follows the feed from the snapshot on: nothing new yet
    page = read_feed(registry, rail, OPERATOR, str(manifest["cursor"]), 10)
    assert page.changes == []


def test_a_delta_holds_the_days_changes(
    registry: Registry, rail: Provider, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    entered = _export(registry, tmp_path, keys[0], date(2025, 1, 1), full=False)
    assert entered["counts"] == {"enter": 4}
    exited = _export(registry, tmp_path, keys[0], date(2025, 1, 10), full=False)
    assert exited["counts"] == {"exit": 2}
    lines = (tmp_path / "rail-2025-01-10-delta.jsonl").read_text().splitlines()
    assert {json.loads(x)["subject"] for x in lines} == {P2}


def test_an_altered_file_or_manifest_does_not_verify(
    registry: Registry, rail: Provider, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    _export(registry, tmp_path, keys[0], date(2025, 1, 10), full=True)
    manifest_path = tmp_path / "rail-2025-01-10-full.manifest.json"
    data = tmp_path / "rail-2025-01-10-full.jsonl"
    original = data.read_bytes()
    data.write_bytes(original.splitlines(keepends=True)[0])
    with pytest.raises(FeedFileError, match="altered or truncated"):
        verify(manifest_path, load_public_key(keys[1]))
    data.write_bytes(original)
    manifest_path.write_bytes(manifest_path.read_bytes().replace(b'"lines": 2', b'"lines": 1'))
    with pytest.raises(FeedFileError, match="signature does not match"):
        verify(manifest_path, load_public_key(keys[1]))


def test_bad_requests_write_nothing(
    registry: Registry, rail: Provider, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    key = load_private_key(keys[0])
    with pytest.raises(RequestInvalidError, match="full snapshot is of that day"):
        export(registry, ExportRequest("rail", date(2025, 1, 9), tmp_path / "a", True, key, "t"))
    with pytest.raises(RequestInvalidError):
        export(registry, ExportRequest("rail", date(2025, 2, 1), tmp_path / "a", False, key, "t"))
    with pytest.raises(NotFoundError, match="no active service provider"):
        export(registry, ExportRequest("nobody", date(2025, 1, 10), tmp_path / "a", True, key, "t"))
    assert not (tmp_path / "a").exists()


def _run(*args: str, code: int = 0) -> str:
    result = RUNNER.invoke(app, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result.output + result.stderr


def test_feeds_commands_end_to_end(db_url: str, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    db = ("--db", db_url)
    _run("db", "upgrade", *db)
    _run("init", *db, "--policy", str(EXAMPLES), "--as-of", "2025-01-01")
    _run("principal", "create", "rail", "--role", "service", "--service", "rail-high-speed", *db)
    records = tmp_path / "court.jsonl"
    records.write_text(json.dumps(spc("c-1", P1, date(2024, 10, 1))) + "\n")
    _run("records", "submit", str(records), "--agency", COURT, *db)
    out = tmp_path / "files"
    key = ("--key", str(keys[0]))
    said = _run(
        "feeds", "export", "--provider", "rail", "--day", "2025-01-01", "--out", str(out), *key, *db
    )
    assert "1 line(s)" in said
    _run(
        "feeds",
        "export",
        "--provider",
        "rail",
        "--day",
        "2025-01-01",
        "--out",
        str(out),
        "--full",
        *key,
        *db,
    )
    for kind in ("delta", "full"):
        manifest = out / f"rail-2025-01-01-{kind}.manifest.json"
        assert "verified" in _run("feeds", "verify", str(manifest), "--public-key", str(keys[1]))
    (out / "rail-2025-01-01-full.jsonl").write_text("")
    manifest = str(out / "rail-2025-01-01-full.manifest.json")
    assert "altered" in _run("feeds", "verify", manifest, "--public-key", str(keys[1]), code=1)
    added = _run(
        "feeds", "webhook", "add", "--provider", "rail", "--url", "http://127.0.0.1:9/x", *db
    )
    assert "secret: " in added
    assert "127.0.0.1:9" in _run("feeds", "webhook", "list", *db)
    assert "1 failed" in _run("feeds", "deliver", *db, code=1)
    assert "[]" in _run("feeds", "dead-letter", "list", "--json", *db)
    assert "Dead letters" in _run("feeds", "dead-letter", "list", *db)
    assert "not a dead letter" in _run("feeds", "dead-letter", "redeliver", "1", *db, code=1)
    assert "webhook 1 removed" in _run("feeds", "webhook", "remove", "1", *db)
    assert "0 queued" in _run("feeds", "deliver", *db)
