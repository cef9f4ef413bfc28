"""The reviewer's desk and the agency's upload: the queue, a case with the record and grounds,
the decision through the workflow; a file too large; and a role on the wrong desk (the agency's
preview, submission and quarantine: test_agency.py)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from socialcredit.api.app import ApiSettings
from socialcredit.registry import Actor
from socialcredit.registry.workflows.attachments import NewAttachment, add_attachment
from socialcredit.web.app import create_portal_app
from tests.api.helpers import audit, counts
from tests.web.conftest import Portal, settings
from tests.web.seed import P1, csrf_of


def _object(portal: Portal) -> None:
    token = portal.sign_in("subject")
    body = {"record": "r1", "grounds": "The judgment was paid.", "csrf": token}
    assert portal.client.post(f"/subjects/{P1}/objections", data=body).status_code == 200
    portal.client.cookies.clear()


def test_a_reviewer_decides_an_objection(portal: Portal) -> None:
    _object(portal)
    portal.client.get("/?lang=en")
    token = portal.sign_in("reviewer")
    queue = portal.client.get("/review").text
    assert "/review/objections/1" in queue
    case = portal.client.get("/review/objections/1").text
    assert "The judgment was paid." in case and "notice served" in case
    body = {"outcome": "revoked", "reason": "The court set the judgment aside.", "csrf": token}
    done = portal.client.post("/review/objections/1/decision", data=body)
    assert done.status_code == 200 and "Your decision has been recorded" in done.text
    assert "/review/objections/1" not in done.text
    again = portal.client.post("/review/objections/1/decision", data=body)
    assert again.status_code == 409
    decided = portal.client.get("/review/objections/1").text
    assert "The court set the judgment aside." in decided


def test_the_reviewer_sees_and_downloads_the_evidence(portal: Portal) -> None:
    _object(portal)
    pdf = b"%PDF-1.4\n% receipt of payment\n%%EOF\n"
    found = NewAttachment(P1, "objection", 1, "payment.pdf", pdf)
    added = add_attachment(portal.seeded.registry, found, Actor("p1", "subject", "evidence"))
    portal.client.get("/?lang=en")
    portal.sign_in("reviewer")
    case = portal.client.get("/review/objections/1").text
    assert "payment.pdf" in case and added.sha256 in case
    assert f"/review/attachments/{added.id}" in case
    download = portal.client.get(f"/review/attachments/{added.id}")
    assert download.content == pdf and download.headers["content-type"] == "application/pdf"
    actions = [e.action for e in audit(portal.seeded.registry, P1)]
    assert actions.count("read.review.attachment") == 2  # the listing and the download
    portal.client.cookies.clear()
    portal.sign_in("tax-reviewer")
    assert portal.client.get(f"/review/attachments/{added.id}").status_code == 403


def test_a_case_is_read_only_by_its_authority_and_audited(portal: Portal) -> None:
    _object(portal)
    portal.sign_in("tax-reviewer")
    assert portal.client.get("/review/objections/1").status_code == 403
    portal.client.cookies.clear()
    portal.sign_in("reviewer")
    assert portal.client.get("/review/objections/1").status_code == 200
    actions = [e.action for e in audit(portal.seeded.registry, P1)]
    assert "refuse.review.authority" in actions and "read.review.objections" in actions


def test_a_subject_may_not_use_the_reviewers_desk(portal: Portal) -> None:
    portal.sign_in("subject")
    assert portal.client.get("/review?lang=en").status_code == 403
    assert portal.client.get("/agency").status_code == 403


def test_a_file_too_large_is_refused_before_it_is_read(portal: Portal, tmp_path: Path) -> None:
    reg = portal.seeded.registry
    small = settings(25, max_upload_bytes=1_000)
    app = create_portal_app(ApiSettings(registry=reg.settings), small)
    with TestClient(app, base_url="https://testserver") as client:
        token = csrf_of(client.get("/sign-in?lang=zh").text)
        key = {"key": portal.seeded.keys["court"], "csrf": token}
        token = csrf_of(client.post("/sign-in/key", data=key).text)
        before = counts(reg)
        files = {"file": ("records.jsonl", b"{}\n" * 20_000, "application/jsonl")}
        refused = client.post("/agency/upload", data={"csrf": token}, files=files)
        assert refused.status_code == 413 and "文件过大" in refused.text
        assert counts(reg) == before


def test_a_reviewer_grants_a_repair_application(portal: Portal) -> None:
    token = portal.sign_in("subject")
    body = {"list": "dishonest-judgment-defaulters", "statement": "Paid.", "performed": "yes"}
    filed = portal.client.post(f"/subjects/{P1}/repairs", data=body | {"csrf": token})
    assert filed.status_code == 200
    portal.client.cookies.clear()
    portal.client.get("/?lang=en")
    token = portal.sign_in("reviewer")
    assert "Application 1" in portal.client.get("/review").text
    decision = {"grant": "yes", "reason": "Proof of payment seen.", "csrf": token}
    done = portal.client.post("/review/repairs/1/decision", data=decision)
    assert done.status_code == 200 and "Application 1" not in done.text
    portal.client.cookies.clear()
    portal.sign_in("subject")
    page = portal.client.get(f"/subjects/{P1}?lang=en").text
    assert "Proof of payment seen." in page and "granted" in page
