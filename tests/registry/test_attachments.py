"""Evidence attachments in the registry: the size limit is a setting, only a pending case of
one's own takes them, retention deletes them with the case, and the command line reaches them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from socialcredit.cli.app import app
from socialcredit.engine import DisputeOutcome
from socialcredit.errors import (
    AccessDeniedError,
    AlreadyDecidedError,
    AttachmentTooLargeError,
    AttachmentTypeError,
    NotFoundError,
    RequestInvalidError,
)
from socialcredit.registry import Actor, Registry, RegistrySettings
from socialcredit.registry.settings import ENV_ATTACHMENT_MAX_BYTES
from socialcredit.registry.store.casework import Attachment
from socialcredit.registry.workflows.attachments import (
    MAX_PER_CASE,
    NewAttachment,
    Reader,
    add_attachment,
    attachment,
    case_attachments,
)
from socialcredit.registry.workflows.objections import decide_objection, file_objection
from socialcredit.registry.workflows.repair import apply_for_repair
from socialcredit.registry.writes.retention import retention
from socialcredit.registry.writes.submit import Submission, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, P2, spc

SUBJECT = Actor("subject", "subject", "own evidence")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)
JPEG = b"\xff\xd8\xff\xe0" + bytes(100)


def _count(registry: Registry) -> int:
    with registry.session() as session:
        return session.execute(select(func.count()).select_from(Attachment)).scalar_one()


def test_the_size_limit_is_a_setting(registry: Registry) -> None:
    settings = RegistrySettings.resolve(
        registry.settings.database_url, {ENV_ATTACHMENT_MAX_BYTES: "64"}
    )
    assert settings.attachment_max_bytes == 64
    small = Registry.open(settings)
    try:
        submit_record(small, spc("a-1"), Submission(COURT, OPERATOR))
        objection = file_objection(small, P1, "r1", "paid", SUBJECT)
        with pytest.raises(AttachmentTooLargeError, match="at most 64"):
            add_attachment(
                small, NewAttachment(P1, "objection", objection.id, "a.png", PNG), SUBJECT
            )
        fits = PNG[:60]
        row = add_attachment(
            small, NewAttachment(P1, "objection", objection.id, "a.png", fits), SUBJECT
        )
        assert (row.size, row.media_type) == (60, "image/png")
    finally:
        small.close()


def test_only_a_pending_case_takes_evidence(registry: Registry) -> None:
    submit_record(registry, spc("a-1"), Submission(COURT, OPERATOR))
    objection = file_objection(registry, P1, "r1", "paid", SUBJECT)
    new = NewAttachment(P1, "objection", objection.id, "photo.JPEG", JPEG)
    for _ in range(MAX_PER_CASE):
        add_attachment(registry, new, SUBJECT)
    with pytest.raises(RequestInvalidError, match="the most a case may have"):
        add_attachment(registry, new, SUBJECT)
    decide_objection(registry, objection.id, DisputeOutcome.UPHELD, "not paid", OPERATOR)
    with pytest.raises(AlreadyDecidedError):
        add_attachment(registry, new, SUBJECT)
    with pytest.raises(AttachmentTypeError, match="not a PDF, PNG or JPEG"):
        add_attachment(registry, NewAttachment(P1, "objection", 1, "x.pdf", b"<html>"), SUBJECT)
    assert _count(registry) == MAX_PER_CASE


def test_the_deciding_authority_reads_and_another_is_refused(registry: Registry) -> None:
    submit_record(registry, spc("a-1"), Submission(COURT, OPERATOR))
    objection = file_objection(registry, P1, "r1", "paid", SUBJECT)
    row = add_attachment(
        registry, NewAttachment(P1, "objection", objection.id, "a.png", PNG), SUBJECT
    )
    clerk = Reader(Actor("clerk", "reviewer", "decide"), authority=COURT)
    assert [a.id for a in case_attachments(registry, "objection", objection.id, clerk)] == [row.id]
    other = Reader(Actor("tax", "reviewer", "decide"), authority="State Taxation Administration")
    with pytest.raises(AccessDeniedError):
        attachment(registry, row.id, other)
    with pytest.raises(NotFoundError, match="no attachment"):
        attachment(registry, row.id, Reader(SUBJECT, subject=P2))


def test_retention_deletes_the_evidence(registry: Registry) -> None:
    submit_record(registry, spc("old", decided=date(2024, 1, 2)), Submission(COURT, OPERATOR))
    application = apply_for_repair(
        registry, P1, "dishonest-judgment-defaulters", "paid", (True, True), SUBJECT
    )
    new = NewAttachment(P1, "repair", application.id, "receipt.png", PNG)
    add_attachment(registry, new, SUBJECT)
    assert _count(registry) == 1
    tick(registry, date(2027, 1, 10), OPERATOR)
    assert retention(registry, None, OPERATOR).subjects == 1
    assert _count(registry) == 0


def test_cli_attach_list_and_read(registry: Registry, db_url: str, tmp_path: Path) -> None:
    submit_record(registry, spc("a-1"), Submission(COURT, OPERATOR))
    objection = file_objection(registry, P1, "r1", "paid", SUBJECT)
    evidence = tmp_path / "receipt.png"
    evidence.write_bytes(PNG)
    runner = CliRunner()
    attach = ["subject", "attach", P1, str(evidence), "--objection", str(objection.id)]
    done = runner.invoke(app, [*attach, "--db", db_url])
    assert done.exit_code == 0, done.output
    assert "image/png" in done.output
    listed = runner.invoke(app, ["subject", "attachments", P1, "--db", db_url])
    assert "receipt.png" in listed.output
    out = tmp_path / "copy.png"
    read = ["subject", "attachment", P1, "1", "--out", str(out), "--reviewer", COURT]
    assert runner.invoke(app, [*read, "--db", db_url]).exit_code == 0
    assert out.read_bytes() == PNG
    wrong = tmp_path / "fake.png"
    wrong.write_bytes(b"%PDF-1.4 pretending")
    refused = runner.invoke(app, [*attach[:3], str(wrong), "--objection", "1", "--db", db_url])
    assert refused.exit_code != 0 and "application/pdf" in refused.output
