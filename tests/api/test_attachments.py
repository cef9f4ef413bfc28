"""Evidence attachments over HTTP: the subject attaches to its own pending case; the deciding
reviewer and the subject read them; a wrong type, a file too large or another subject's case
is refused with nothing stored and the refusal audited."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from socialcredit.registry import Registry
from socialcredit.registry.audit import subject_ref
from socialcredit.registry.settings import DEFAULT_ATTACHMENT_MAX_BYTES
from socialcredit.registry.store.casework import Attachment
from socialcredit.registry.store.models import AuditEntry
from tests.api.conftest import Keys
from tests.api.helpers import problem
from tests.registry.helpers import P1, P2, spc

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _objection(client: TestClient, keys: Keys) -> int:
    for record in (spc("A1"), spc("A2", subject=P2)):
        assert client.post("/v1/agency/records", json=record, headers=keys["court"]).is_success
    body = {"record": "r1", "grounds": "the judgment was paid"}
    filed = client.post(f"/v1/subjects/{P1}/objections", json=body, headers=keys["subject"])
    assert filed.status_code == 201
    objection: int = filed.json()["id"]
    return objection


def _stored(registry: Registry) -> int:
    with registry.session() as session:
        return session.execute(select(func.count()).select_from(Attachment)).scalar_one()


def _audited(registry: Registry, action: str) -> int:
    with registry.session() as session:
        query = select(func.count()).where(AuditEntry.action == action)
        return session.execute(query).scalar_one()


def test_the_subject_attaches_and_the_reviewer_reads(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    objection = _objection(client, keys)
    url = f"/v1/subjects/{P1}/objections/{objection}/attachments"
    files = {"file": ("receipt.pdf", PDF, "application/octet-stream")}
    added = client.post(url, files=files, headers=keys["subject"])
    assert added.status_code == 201, added.text
    body = added.json()
    assert (body["media_type"], body["size"]) == ("application/pdf", len(PDF))
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["added_on"] == "2025-01-01"  # the registry's date
    mine = client.get(f"/v1/subjects/{P1}/attachments", headers=keys["subject"]).json()
    assert [a["id"] for a in mine] == [body["id"]]
    listed = client.get(
        f"/v1/review/objections/{objection}/attachments", headers=keys["reviewer"]
    ).json()
    assert [a["filename"] for a in listed] == ["receipt.pdf"]
    content = client.get(f"/v1/review/attachments/{body['id']}", headers=keys["reviewer"])
    assert content.content == PDF and content.headers["content-type"] == "application/pdf"
    own = client.get(f"/v1/subjects/{P1}/attachments/{body['id']}", headers=keys["subject"])
    assert own.content == PDF
    assert _audited(registry, "read.review.attachment") == 2  # shown to the subject


def test_a_reviewer_of_another_authority_is_refused(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    objection = _objection(client, keys)
    url = f"/v1/subjects/{P1}/objections/{objection}/attachments"
    added = client.post(url, files={"file": ("a.png", PNG)}, headers=keys["subject"]).json()
    other = client.get(f"/v1/review/attachments/{added['id']}", headers=keys["tax-reviewer"])
    problem(other, 403, "access-denied")
    assert _audited(registry, "refuse.review.authority") == 1


def test_bad_attachments_store_nothing(client: TestClient, keys: Keys, registry: Registry) -> None:
    objection = _objection(client, keys)
    url = f"/v1/subjects/{P1}/objections/{objection}/attachments"
    exe = {"file": ("receipt.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")}
    problem(client.post(url, files=exe, headers=keys["subject"]), 415, "attachment-type")
    renamed = {"file": ("photo.jpg", PDF)}  # a PDF named as a JPEG
    problem(client.post(url, files=renamed, headers=keys["subject"]), 415, "attachment-type")
    big = PDF + b"0" * DEFAULT_ATTACHMENT_MAX_BYTES
    large = client.post(url, files={"file": ("big.pdf", big)}, headers=keys["subject"])
    assert problem(large, 413, "attachment-too-large")["details"]["max_bytes"] == (
        DEFAULT_ATTACHMENT_MAX_BYTES
    )
    assert _stored(registry) == 0
    assert _audited(registry, "refuse.attachment") == 3


def test_another_subjects_case_is_as_good_as_absent(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    objection = _objection(client, keys)
    body = {"record": "r2", "grounds": "not mine"}
    theirs = client.post(f"/v1/subjects/{P2}/objections", json=body, headers=keys["other-subject"])
    assert theirs.status_code == 201
    url = f"/v1/subjects/{P1}/objections/{theirs.json()['id']}/attachments"
    refused = client.post(url, files={"file": ("a.pdf", PDF)}, headers=keys["subject"])
    problem(refused, 404, "not-found")
    assert _stored(registry) == 0
    with registry.session() as session:  # audited under the subject whose case it named
        entry = session.execute(
            select(AuditEntry).where(AuditEntry.action == "refuse.attachment")
        ).scalar_one()
        key = registry.state(session).audit_key
    assert entry.subject_ref == subject_ref(key, P2) != subject_ref(key, P1)
    other = f"/v1/subjects/{P2}/objections/{objection}/attachments"
    refused = client.post(other, files={"file": ("a.pdf", PDF)}, headers=keys["subject"])
    problem(refused, 403, "access-denied")
