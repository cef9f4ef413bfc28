"""Agencies: upload a whole file (in our field names, or an export with its mapping), and list
and resubmit their quarantine. An agency principal sees only its own quarantined lines."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from socialcredit.api.deps import Caller, Page, Reg, caller, page_body
from socialcredit.api.problems import PROBLEMS
from socialcredit.api.schemas import RecordIn
from socialcredit.api.views import OutcomeOut, PageOut
from socialcredit.errors import InputError
from socialcredit.registry.workflows.quarantine import quarantine_page, resubmit
from socialcredit.registry.workflows.uploads import Upload, mapping_bytes, submit_file
from socialcredit.registry.writes.submit import Submission

router = APIRouter(prefix="/v1/agency", tags=["agency"], responses=PROBLEMS)
Agency = Annotated[Caller, Depends(caller("agency", purpose="agency submission"))]
MAPPING_LIMIT = 1_000_000  # bytes of a mapping file
SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv")  # of a file in our field names


class UploadOut(BaseModel):
    submission: str
    lines_in: int = Field(description="lines read; always stored + unchanged + quarantined")
    stored: int
    unchanged: int
    quarantined: int
    quarantine: list[int] = Field(description="ids of the lines quarantined")
    warnings: list[str]
    outcomes: list[OutcomeOut] = Field(description="the refused lines (index: line number)")


class QuarantineOut(BaseModel):
    id: int
    submission: str
    source: str
    line: int
    record: str | None
    status: str = Field(description="open or resolved")
    reasons: list[str]
    raw: str | None = Field(description="the line as received; blanked once resolved")


class CorrectionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    entry: int = Field(ge=1, le=2**63 - 1, description="the quarantined line's id")
    record: RecordIn


class ResubmitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    corrections: list[CorrectionEntry] = Field(min_length=1, max_length=1000)


def _authority(who: Caller) -> str:
    return who.need().authority or ""


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"cannot tell the format of {name!r}: name it .jsonl or .csv (or send its mapping)",
            {"file": name},
        )
    return suffix


@router.post("/uploads")
def upload(
    reg: Reg,
    who: Agency,
    file: Annotated[UploadFile, File(description="the records file or the agency's export")],
    mapping: Annotated[UploadFile | None, File(description="the export's mapping (YAML)")] = None,
) -> UploadOut:
    """Submit a whole file; with ``mapping``, an export read through the agency's own mapping.
    Refused lines are quarantined; the counts always add up."""
    agency = _authority(who)
    name = file.filename or "upload"
    found = None
    if mapping is not None:
        raw = mapping.file.read(MAPPING_LIMIT + 1)
        if len(raw) > MAPPING_LIMIT:
            raise InputError("the mapping is larger than 1 MB", {"limit": MAPPING_LIMIT})
        found = mapping_bytes(reg, raw, mapping.filename or "mapping.yaml", agency)
    suffix = _suffix(name) if found is None else f".{found.model.source.format}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out)
        report = submit_file(reg, Upload(path, found, name), Submission(agency, who.actor))
    counts = report.counts()
    refused = [
        OutcomeOut(
            index=o.line,
            record=o.record_id,
            status=o.status,
            reasons=list(o.reasons),
            warnings=list(o.warnings),
        )
        for o in report.report.refused
    ]
    return UploadOut(
        submission=report.submission,
        lines_in=counts["in"],
        stored=counts["stored"],
        unchanged=counts["unchanged"],
        quarantined=counts["quarantined"],
        quarantine=report.quarantined,
        warnings=report.warnings,
        outcomes=refused,
    )


@router.get("/quarantine")
def own_quarantine(
    reg: Reg,
    who: Agency,
    page: Page,
    status: Annotated[str, Query(pattern="^(open|resolved|all)$")] = "open",
) -> PageOut[QuarantineOut]:
    """The agency's own quarantined lines, oldest first (each read audited)."""
    which = None if status == "all" else status
    found = quarantine_page(reg, _authority(who), which, (page.limit, page.offset), who.actor)
    items = [
        QuarantineOut(
            id=q.id,
            submission=q.submission,
            source=q.source,
            line=q.line,
            record=q.record_id,
            status=q.status,
            reasons=[str(r) for r in q.reasons],
            raw=q.raw,
        )
        for q in found.rows
    ]
    return PageOut[QuarantineOut](**page_body(items, found.total, page))


@router.post("/quarantine/resubmit")
def resubmit_quarantine(body: ResubmitIn, reg: Reg, who: Agency) -> list[OutcomeOut]:
    """One corrected record per quarantined line: stored (or unchanged) resolves the line,
    refused leaves it open with the new reasons (index: the line's id)."""
    pairs = [(c.entry, c.record.raw()) for c in body.corrections]
    done = resubmit(reg, _authority(who), pairs, who.actor)
    return [
        OutcomeOut(
            index=d.entry,
            record=d.outcome.record_id,
            status=d.outcome.status,
            reasons=list(d.outcome.reasons),
            warnings=list(d.outcome.warnings),
        )
        for d in done
    ]
