"""The agency's desk: a file (in our field names, or an export with its mapping) previewed with
each row's problems and the file's warnings, nothing stored; confirmed with the same files
(checked against the preview's seal) and counted; the quarantine listed (audited), filtered,
paged and resubmitted line by line; and the bad inputs: a file too large, another agency's
mapping, a mapping that does not load, a forged CSRF token, an expired session, another
agency's line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from itsdangerous import TimestampSigner
from sqlalchemy import select

from socialcredit.api.app import ApiSettings
from socialcredit.registry import Actor
from socialcredit.registry.store.quarantine import QuarantineLine
from socialcredit.registry.workflows.uploads import Upload, submit_file
from socialcredit.registry.writes.submit import Submission
from socialcredit.web.app import create_portal_app
from tests.api.helpers import audit, counts
from tests.conftest import ROOT
from tests.registry.helpers import COURT, spc
from tests.web.conftest import Portal, settings
from tests.web.seed import MAPPING, P2, TAX, court_export, csrf_of, records_file

OTHER_MAPPING = ROOT / "examples" / "mappings" / "market-registration.yaml"
Files = dict[str, tuple[str, bytes, str]]


def _files(path: Path, mapping: Path | None = None) -> Files:
    found = {"file": (path.name, path.read_bytes(), "application/octet-stream")}
    if mapping is not None:
        found["mapping"] = (mapping.name, mapping.read_bytes(), "application/yaml")
    return found


def _seal(html: str) -> str:
    found = re.search(r'name="seal" value="([^"]+)"', html)
    assert found is not None, "the preview has no confirmation form"
    return found.group(1)


def _preview(portal: Portal, token: str, files: Files) -> Response:
    return portal.client.post("/agency/preview", data={"csrf": token}, files=files)


def _lines(portal: Portal) -> list[tuple[str, int, str]]:
    with portal.seeded.registry.session() as session:
        found = session.execute(select(QuarantineLine).order_by(QuarantineLine.id)).scalars()
        return [(q.source, q.line, q.status) for q in found]


def test_a_records_file_is_previewed_then_submitted(portal: Portal, tmp_path: Path) -> None:
    portal.client.get("/?lang=en")
    token = portal.sign_in("court")
    files = _files(records_file(tmp_path))
    before = counts(portal.seeded.registry)
    shown = _preview(portal, token, files)
    assert shown.status_code == 200, shown.text
    assert "Nothing has been stored yet." in shown.text
    assert "U1" in shown.text and "U2" in shown.text and "12345" in shown.text
    assert "none: the file is in our field names" in shown.text
    assert counts(portal.seeded.registry) == before and _lines(portal) == []
    body = {"csrf": csrf_of(shown.text), "seal": _seal(shown.text)}
    done = portal.client.post("/agency/upload", data=body, files=files)
    assert done.status_code == 200, done.text
    assert "lines in 2 = stored 1 + unchanged 0 + quarantined 1" in done.text
    assert _lines(portal) == [("records.jsonl", 2, "open")]
    no_mapping = files | {"mapping": ("", b"", "application/octet-stream")}  # as browsers send
    again = portal.client.post("/agency/upload", data=body, files=no_mapping)
    assert "lines in 2 = stored 0 + unchanged 1 + quarantined 1" in again.text


def test_an_export_is_previewed_through_its_mapping(portal: Portal, tmp_path: Path) -> None:
    portal.client.get("/?lang=en")
    token = portal.sign_in("court")
    files = _files(court_export(tmp_path), MAPPING)
    shown = _preview(portal, token, files)
    assert shown.status_code == 200, shown.text
    text = shown.text
    assert "court-enforcement" in text and "SX1" in text and "SPC-REFUSE" in text
    assert "2024-12-01" in text and "12000" in text  # dates and amounts as read
    assert "column &#39;备注&#39; is not in the mapping" in text  # the file's warning
    assert "&#39;09&#39;" in text  # row 2's problem: a code the table lacks
    assert _lines(portal) == []
    body = {"csrf": csrf_of(text), "seal": _seal(text)}
    done = portal.client.post("/agency/upload?lang=zh", data=body, files=files)
    assert done.status_code == 200, done.text
    assert "读入 2 = 已存储 1 + 未变更 0 + 已隔离 1" in done.text
    assert _lines(portal) == [("enforcement.csv", 3, "open")]


def test_a_confirmation_must_send_the_files_previewed(portal: Portal, tmp_path: Path) -> None:
    portal.client.get("/?lang=en")
    token = portal.sign_in("court")
    path = records_file(tmp_path)
    shown = _preview(portal, token, _files(path))
    token, seal = csrf_of(shown.text), _seal(shown.text)
    before = counts(portal.seeded.registry)
    changed = {"file": ("records.jsonl", path.read_bytes() + b"\n", "application/jsonl")}
    for body, files in (
        ({"csrf": token, "seal": seal}, changed),
        ({"csrf": token, "seal": seal}, _files(path, MAPPING)),
        ({"csrf": token, "seal": seal[:-4] + "AAAA"}, _files(path)),
        ({"csrf": token}, _files(path)),
    ):
        refused = portal.client.post("/agency/upload", data=body, files=files)
        assert refused.status_code == 409 and "not the files previewed" in refused.text
    assert counts(portal.seeded.registry) == before and _lines(portal) == []


def test_another_agencys_mapping_is_refused(portal: Portal, tmp_path: Path) -> None:
    portal.client.get("/?lang=zh")
    token = portal.sign_in("court")
    before = counts(portal.seeded.registry)
    refused = _preview(portal, token, _files(court_export(tmp_path), OTHER_MAPPING))
    assert refused.status_code == 403 and "另一机构" in refused.text
    assert "market-registration" in refused.text
    assert counts(portal.seeded.registry) == before


def test_a_mapping_that_does_not_load_shows_its_problems(portal: Portal, tmp_path: Path) -> None:
    portal.client.get("/?lang=en")
    token = portal.sign_in("court")
    broken = tmp_path / "broken.yaml"
    text = MAPPING.read_text(encoding="utf-8").replace(
        "  rows: records\n", "  rows: records\n  colour: red\n"
    )
    broken.write_text(text.replace('"01": SPC-REFUSE', '"01": SPC-NO-SUCH'), encoding="utf-8")
    before = counts(portal.seeded.registry)
    refused = _preview(portal, token, _files(court_export(tmp_path), broken))
    assert refused.status_code == 422 and "The mapping could not be loaded" in refused.text
    assert re.search(r"broken\.yaml:\d+:\d+: \[schema\]", refused.text), refused.text
    assert counts(portal.seeded.registry) == before


def test_an_unreadable_file_is_refused_with_its_reason(portal: Portal, tmp_path: Path) -> None:
    portal.client.get("/?lang=en")
    token = portal.sign_in("court")
    wrong = tmp_path / "enforcement.csv"
    wrong.write_bytes(b"a,b\n1,2\n")
    refused = _preview(portal, token, _files(wrong, MAPPING))
    assert refused.status_code == 400 and "The file could not be read" in refused.text
    assert "enforcement.csv" in refused.text and str(tmp_path) not in refused.text
    named = tmp_path / "records.txt"
    named.write_bytes(b"{}\n")
    assert _preview(portal, token, _files(named)).status_code == 422


def test_a_file_too_large_is_refused(portal: Portal) -> None:
    reg = portal.seeded.registry
    small = settings(25, max_upload_bytes=1_000)
    app = create_portal_app(ApiSettings(registry=reg.settings), small)
    with TestClient(app, base_url="https://testserver") as client:
        token = csrf_of(client.get("/sign-in?lang=en").text)
        key = {"key": portal.seeded.keys["court"], "csrf": token}
        token = csrf_of(client.post("/sign-in/key", data=key).text)
        before = counts(reg)
        for size in (5_000, 2_000_000):  # read and cut at the limit; refused from its length
            files = {"file": ("records.jsonl", b"{}\n" * (size // 3), "application/jsonl")}
            for path in ("/agency/preview", "/agency/upload"):
                refused = client.post(path, data={"csrf": token}, files=files)
                assert refused.status_code == 413 and "The file is too large" in refused.text
        assert counts(reg) == before


def test_a_forged_token_and_an_expired_session_change_nothing(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal.client.get("/?lang=en")
    token = portal.sign_in("court")
    files = _files(records_file(tmp_path))
    shown = _preview(portal, token, files)
    body = {"csrf": csrf_of(shown.text), "seal": _seal(shown.text)}
    before = counts(portal.seeded.registry)
    forged = portal.client.post("/agency/upload", data=body | {"csrf": "f" * 64}, files=files)
    assert forged.status_code == 403 and "security token" in forged.text
    assert _preview(portal, "f" * 64, files).status_code == 403
    later = TimestampSigner.get_timestamp(TimestampSigner("k")) + 31 * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    ended = portal.client.post("/agency/upload?lang=zh", data=body, files=files)
    assert ended.status_code == 401 and "会话已结束" in ended.text
    assert portal.client.get("/agency/quarantine").url.path == "/sign-in"
    assert counts(portal.seeded.registry) == before and _lines(portal) == []


def test_the_quarantine_is_listed_and_resubmitted(portal: Portal, tmp_path: Path) -> None:
    reg = portal.seeded.registry
    _submit_as(portal, records_file(tmp_path), COURT)
    portal.client.get("/?lang=en")
    portal.sign_in("court")
    page = portal.client.get("/agency/quarantine")
    assert page.status_code == 200
    assert "records.jsonl, line 2" in page.text and "12345" in page.text
    assert "&#34;subject&#34;: &#34;12345&#34;" in page.text  # the form prefilled
    assert "read.quarantine.agency" in [e.action for e in audit(reg)]
    entry = _open_ids(portal)[0]
    wrong = spc("U2", subject="99999")
    again = _resubmit(portal, csrf_of(page.text), entry, json.dumps(wrong))
    assert again.status_code == 200 and "refused again" in again.text and "99999" in again.text
    assert _lines(portal) == [("records.jsonl", 2, "open")]
    right = spc("U2", subject=P2)
    done = _resubmit(portal, csrf_of(again.text), entry, json.dumps(right))
    assert done.status_code == 200 and "is resolved: the record was registered" in done.text
    assert _lines(portal) == [("records.jsonl", 2, "resolved")]
    assert "records.jsonl, line 2" not in portal.client.get("/agency/quarantine").text
    resolved = portal.client.get("/agency/quarantine?status=resolved").text
    assert "records.jsonl, line 2" in resolved and "Resubmit</button>" not in resolved
    closed = _resubmit(portal, csrf_of(resolved), entry, json.dumps(right))
    assert closed.status_code == 422 and "already resolved" in closed.text


def test_a_correction_that_is_not_a_json_object_is_refused(portal: Portal, tmp_path: Path) -> None:
    _submit_as(portal, records_file(tmp_path), COURT)
    portal.client.get("/?lang=en")
    token = portal.sign_in("court")
    entry = _open_ids(portal)[0]
    for text in ("{not json", "[1, 2]"):
        refused = _resubmit(portal, token, entry, text)
        assert refused.status_code == 422 and "JSON" in refused.text
    assert _lines(portal) == [("records.jsonl", 2, "open")]


def test_another_agencys_lines_are_not_found(portal: Portal, tmp_path: Path) -> None:
    _submit_as(portal, _file(tmp_path, "tax.jsonl", _tax_lines()), TAX)
    portal.client.get("/?lang=zh")
    token = portal.sign_in("court")
    assert "tax.jsonl" not in portal.client.get("/agency/quarantine?status=all").text
    theirs = _open_ids(portal)[0]
    before = counts(portal.seeded.registry)
    for entry in (theirs, 99_999):
        refused = _resubmit(portal, token, entry, json.dumps(spc("U2", subject=P2)))
        assert refused.status_code == 404 and "未找到" in refused.text
    assert counts(portal.seeded.registry) == before
    assert _lines(portal) == [("tax.jsonl", 1, "open")]


def test_the_quarantine_is_paged(portal: Portal, tmp_path: Path) -> None:
    bad = "".join(json.dumps(spc(f"B{i}", subject="12345")) + "\n" for i in range(23))
    _submit_as(portal, _file(tmp_path, "many.jsonl", bad.encode()), COURT)
    portal.client.get("/?lang=en")
    portal.sign_in("court")
    first = portal.client.get("/agency/quarantine").text
    assert "23 lines" in first and first.count("Resubmit</button>") == 20
    assert "offset=20" in first
    second = portal.client.get("/agency/quarantine?status=open&offset=20").text
    assert second.count("Resubmit</button>") == 3 and "many.jsonl, line 23" in second


def _submit_as(portal: Portal, path: Path, agency: str) -> None:
    """Submit a file for ``agency`` straight through the registry (its refusals quarantined)."""
    sub = Submission(agency, Actor("tests", "agency", "test set-up"))
    submit_file(portal.seeded.registry, Upload(path, None, path.name), sub)


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _tax_lines() -> bytes:
    """A tax bureau's line the registry refuses (its subject is not an identifier)."""
    bad = {**spc("TX1", subject="1"), "item": "ENT-TAX-ARREARS-LONG"}
    return (json.dumps(bad) + "\n").encode()


def _open_ids(portal: Portal) -> list[int]:
    with portal.seeded.registry.session() as session:
        query = select(QuarantineLine.id).where(QuarantineLine.status == "open")
        return list(session.execute(query.order_by(QuarantineLine.id)).scalars())


def _resubmit(portal: Portal, token: str, entry: int, fields: str) -> Response:
    body = {"csrf": token, "fields": fields}
    return portal.client.post(f"/agency/quarantine/{entry}/resubmit", data=body)
