"""Mapped submissions and the quarantine: counts in = stored + unchanged + quarantined, nothing
half-stored, resubmission after correction, an agency's own lines only, retention, erasure."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from socialcredit.errors import AccessDeniedError, InputError, LifecycleError, NotFoundError
from socialcredit.ingest.files import text_rows
from socialcredit.ingest.mapped import open_mapped
from socialcredit.registry import Registry
from socialcredit.registry.store.links import LinkRow
from socialcredit.registry.store.models import AuditEntry, RecordRow
from socialcredit.registry.store.quarantine import QuarantineLine
from socialcredit.registry.workflows.quarantine import quarantine_page, resubmit
from socialcredit.registry.workflows.uploads import Upload, mapping_file, submit_file
from socialcredit.registry.writes.retention import retention
from socialcredit.registry.writes.submit import Submission
from tests.conftest import ROOT
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, spc
from tests.registry.test_orgcodes import CODE, EMBEDDING

MAPPINGS = ROOT / "examples" / "mappings"
COURT_CSV = MAPPINGS / "court-enforcement.csv"
SUB = Submission(COURT, OPERATOR)
BAD_LINES = {
    3: "09",  # a conduct code the mapping's table lacks
    5: "01-bad-date",
    9: "01-bad-subject",
}


def _export(tmp_path: Path) -> Path:
    """The court's example export with three lines spoiled (code, date, identifier)."""
    lines = COURT_CSV.read_bytes().decode("gb18030").splitlines()
    for number, how in BAD_LINES.items():
        cells = lines[number - 1].split(",")
        if how == "09":
            cells[7] = "09"
        elif how == "01-bad-date":
            cells[8] = "2024年2月30日"
        else:
            last = cells[4][-1]
            cells[4] = cells[4][:-1] + ("0" if last != "0" else "1")  # wrong check character
        lines[number - 1] = ",".join(cells)
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return path


def _count(reg: Registry, model: type) -> int:
    with reg.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _submit(reg: Registry, path: Path) -> object:
    mapping = mapping_file(reg, MAPPINGS / "court-enforcement.yaml", COURT)
    return submit_file(reg, Upload(path, mapping, path.name), SUB)


def test_mapped_submission_counts_always_add_up(registry: Registry, tmp_path: Path) -> None:
    path = _export(tmp_path)
    found = _submit(registry, path)
    counts = found.counts()  # type: ignore[attr-defined]
    assert counts == {"in": 12, "stored": 9, "unchanged": 0, "quarantined": 3}
    assert found.balanced  # type: ignore[attr-defined]
    assert _count(registry, RecordRow) == 9 and _count(registry, QuarantineLine) == 3
    with registry.session() as session:
        lines = list(
            session.execute(select(QuarantineLine).order_by(QuarantineLine.line)).scalars()
        )
    assert [q.line for q in lines] == sorted(BAD_LINES)
    assert "code '09' is not in the mapping's code table" in lines[0].reasons[0]
    assert "not a date" in lines[1].reasons[0]
    assert "check character" in " ".join(lines[2].reasons)
    assert "09" in (lines[0].raw or "") and "（2024）京0105执1201号" in (lines[0].raw or "")
    assert lines[0].subject_id is not None  # erased with its subject
    assert lines[0].record_id == "SX202400002"  # as the mapping read it
    assert lines[2].subject_id is None  # an unreadable identifier names no subject
    again = _submit(registry, path)  # the same file again: idempotent, quarantined again
    assert again.counts() == {"in": 12, "stored": 0, "unchanged": 9, "quarantined": 3}  # type: ignore[attr-defined]
    with registry.session() as session:
        actions = set(session.execute(select(AuditEntry.action)).scalars())
    assert "write.quarantine.line" in actions


def test_resubmission_after_correction(registry: Registry, tmp_path: Path) -> None:
    _submit(registry, _export(tmp_path))
    page = quarantine_page(registry, COURT, "open", (100, 0), OPERATOR)
    assert page.total == 3
    first, second = page.rows[0].id, page.rows[1].id
    fixed = spc("SX202400002", item="SPC-OBSTRUCT-VIOLENCE", decided=date(2024, 2, 6))
    still_bad = spc("SX202400004", decided=date(2024, 2, 6), item="NO-SUCH-ITEM")
    done = resubmit(registry, COURT, [(first, fixed), (second, still_bad)], OPERATOR)
    assert [d.outcome.status for d in done] == ["registered", "refused"]
    with registry.session() as session:
        rows = {q.id: q for q in session.execute(select(QuarantineLine)).scalars()}
    assert rows[first].status == "resolved" and rows[first].raw is None
    assert rows[second].status == "open" and "NO-SUCH-ITEM" in (rows[second].raw or "")
    assert any("NO-SUCH-ITEM" in r for r in rows[second].reasons)
    assert _count(registry, RecordRow) == 10
    with pytest.raises(LifecycleError, match="already resolved"):
        resubmit(registry, COURT, [(first, fixed)], OPERATOR)
    again = resubmit(
        registry, COURT, [(second, spc("SX202400004", decided=date(2024, 2, 6)))], OPERATOR
    )
    assert again[0].outcome.status == "registered"
    assert quarantine_page(registry, COURT, "open", (100, 0), OPERATOR).total == 1


def test_an_agency_sees_and_resubmits_only_its_own_lines(
    registry: Registry, tmp_path: Path
) -> None:
    _submit(registry, _export(tmp_path))
    other = "State Taxation Administration (competent tax bureau)"
    assert quarantine_page(registry, other, None, (100, 0), OPERATOR).total == 0
    entry = quarantine_page(registry, COURT, "open", (1, 0), OPERATOR).rows[0].id
    before = _count(registry, RecordRow)
    with pytest.raises(NotFoundError):
        resubmit(registry, other, [(entry, spc("X1"))], OPERATOR)
    assert _count(registry, RecordRow) == before
    with pytest.raises(AccessDeniedError, match="its own mappings"):
        mapping_file(registry, MAPPINGS / "court-enforcement.yaml", other)


def test_plain_files_are_quarantined_too(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = [json.dumps(spc("P1")), "{not json", json.dumps(spc("P2", item="NOPE"))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = submit_file(registry, Upload(path, None, path.name), SUB)
    assert found.counts() == {"in": 3, "stored": 1, "unchanged": 0, "quarantined": 2}
    with registry.session() as session:
        raws = [
            q.raw
            for q in session.execute(select(QuarantineLine).order_by(QuarantineLine.line)).scalars()
        ]
    assert raws[0] == "{not json" and '"NOPE"' in (raws[1] or "")
    assert [n for n, _, _ in text_rows(path)] == [1, 2, 3]


def test_a_file_refused_up_front_stores_nothing(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_bytes(COURT_CSV.read_bytes().decode("gb18030").encode("utf-8"))
    with pytest.raises(InputError, match=r":1: the header is not gb18030 text .* utf-8"):
        _submit(registry, path)  # a UTF-8 file where the mapping declares GB18030
    assert _count(registry, RecordRow) == 0 and _count(registry, QuarantineLine) == 0


def test_a_registration_file_submits_links(registry: Registry, tmp_path: Path) -> None:
    """Rows mapped to links go through the links' submission, refused ones to the quarantine
    (a second legal representative overlapping the first), and a corrected line resubmitted
    as a link resolves it."""
    mapping = mapping_file(registry, MAPPINGS / "market-registration.yaml", None)
    text = (MAPPINGS / "market-registration.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    cells = lines[2].split(",")
    cells[6] = "20190501"  # the second representative now starts before the first left
    lines[2] = ",".join(cells)
    path = tmp_path / "registration.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    sub = Submission(mapping.model.mapping.agency, OPERATOR)
    found = submit_file(registry, Upload(path, mapping, path.name), sub)
    counts = found.counts()
    assert counts["quarantined"] == 1 and found.balanced
    assert _count(registry, LinkRow) == counts["stored"] > 0
    (entry,) = found.quarantined
    with registry.session() as session:
        line = session.get(QuarantineLine, entry)
        assert line is not None and line.line == 3 and line.subject_id is not None
    second = list(open_mapped(MAPPINGS / "market-registration.csv", mapping).rows)[1]
    (done,) = resubmit(registry, sub.agency, [(entry, second.raw)], OPERATOR)
    assert done.outcome.status == "registered"
    assert _count(registry, LinkRow) == counts["stored"] + 1


def test_retention_deletes_quarantined_lines(registry: Registry, tmp_path: Path) -> None:
    _submit(registry, _export(tmp_path))
    with registry.session() as session, session.begin():
        for q in session.execute(select(QuarantineLine)).scalars():
            q.retain_until = date(2024, 12, 31)
    report = retention(registry, None, OPERATOR)
    assert report.quarantine == 3 and _count(registry, QuarantineLine) == 0


def test_a_subject_deleted_by_retention_takes_its_quarantined_lines(
    registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "records.jsonl"
    kept, refused = spc("Q1"), spc("Q2", resolved_on="2024-01-01")  # resolved before decided
    path.write_text(f"{json.dumps(kept)}\n{json.dumps(refused)}\n", encoding="utf-8")
    found = submit_file(registry, Upload(path, None, path.name), SUB)
    assert found.counts()["quarantined"] == 1
    with registry.session() as session, session.begin():
        line = session.execute(select(QuarantineLine)).scalar_one()
        assert line.subject_id == kept["subject"]
        for row in session.execute(select(RecordRow)).scalars():
            row.retain_until = date(2024, 12, 31)
    report = retention(registry, None, OPERATOR)
    assert report.records == 1 and report.subjects == 1
    assert _count(registry, QuarantineLine) == 0  # its raw text named the subject


def test_a_nul_in_a_line_is_quarantined_not_stored(registry: Registry, tmp_path: Path) -> None:
    lines = COURT_CSV.read_bytes().split(b"\r\n")
    lines[1] = lines[1].replace(b"SX202400001", b"SX2024\x0000001")
    path = tmp_path / "nul.csv"
    path.write_bytes(b"\r\n".join(lines))
    found = _submit(registry, path)
    assert found.counts() == {"in": 12, "stored": 11, "unchanged": 0, "quarantined": 1}  # type: ignore[attr-defined]
    with registry.session() as session:
        line = session.execute(select(QuarantineLine)).scalar_one()
    assert "control character" in " ".join(line.reasons)
    assert "SX2024\ufffd00001" in (line.raw or "")


def test_lines_filed_under_an_organisation_code_are_settled_in_the_last_pass(
    registry: Registry, tmp_path: Path
) -> None:
    """A record filed under an old organisation code waits for the credit codes of the whole
    submission (``submit_lines``' last pass): resolved, it is stored; matching none, it is
    quarantined with its own raw text, and the counts still add up."""
    unmatched = spc("o-3", "12345678-8")
    fillers = [spc(f"p-{i}", P1) for i in range(50)]  # the credit code comes in a later chunk
    raws = [spc("o-1", CODE), unmatched, *fillers, spc("o-2", EMBEDDING)]
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in raws), encoding="utf-8")
    found = submit_file(registry, Upload(path, None, path.name), SUB)
    assert found.counts() == {"in": 53, "stored": 52, "unchanged": 0, "quarantined": 1}
    with registry.session() as session:
        (line,) = session.execute(select(QuarantineLine)).scalars()
    assert line.line == 2 and '"12345678-8"' in (line.raw or "")
    assert "matches no known" in " ".join(line.reasons)
