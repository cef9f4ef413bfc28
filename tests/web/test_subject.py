"""A subject's own pages: sign-in by a one-time code from the local SMTP server or by key, the
file, objections and repair through the existing workflow, the copies (JSON, PDF); and the bad
input: a wrong code, an expired session, a forged CSRF token, another subject's page."""

from __future__ import annotations

import json

import pytest
from itsdangerous.timed import TimestampSigner

from socialcredit.registry import Actor
from socialcredit.registry.workflows.attachments import subject_attachments
from socialcredit.registry.workflows.contacts import ContactSpec, set_contact
from tests.api.helpers import audit, counts
from tests.web.conftest import Portal
from tests.web.seed import P1, P2, csrf_of

FILE = f"/subjects/{P1}"


def _request_code(portal: Portal, subject: str = P1) -> str:
    token = csrf_of(portal.client.get("/sign-in?lang=en").text)
    sent = portal.client.post("/sign-in/code", data={"subject": subject, "csrf": token})
    assert sent.status_code == 200 and "Enter your code" in sent.text
    return csrf_of(sent.text)


def test_a_subject_signs_in_with_a_code_from_the_mail(portal: Portal) -> None:
    token = _request_code(portal)
    code = portal.inbox.last_code(f"{P1}@notices.invalid")
    page = portal.client.post("/sign-in/verify", data={"code": code, "csrf": token})
    assert page.status_code == 200 and page.url.path == FILE
    assert "My file" in page.text and "Fuzhou" not in page.text
    cookie = page.history[0].headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
    # signing in renewed the form token, and the code opens nothing a second time
    stale = portal.client.post("/sign-in/verify", data={"code": code, "csrf": token})
    assert stale.status_code == 403
    again = {"code": code, "csrf": csrf_of(page.text)}
    assert portal.client.post("/sign-in/verify", data=again).status_code == 401


def test_the_code_goes_to_the_subjects_own_address_in_its_language(portal: Portal) -> None:
    """A subject with a contact directory entry gets its code there, in its language, as its
    notices go."""
    contact = ContactSpec("en", email="p1@example.test")
    set_contact(portal.seeded.registry, P1, contact, Actor("clerk", "operator", "contact"))
    token = _request_code(portal)
    code = portal.inbox.last_code("p1@example.test")
    message = next(m for m in reversed(portal.inbox.messages) if m["To"] == "p1@example.test")
    assert message["Content-Language"] == "en" and code.isdigit()
    assert portal.client.post("/sign-in/verify", data={"code": code, "csrf": token}).is_success


def test_a_wrong_code_burns_the_challenge(portal: Portal) -> None:
    token = _request_code(portal)
    code = portal.inbox.last_code(f"{P1}@notices.invalid")
    wrong = "0" * 8 if code != "0" * 8 else "1" * 8
    refused = portal.client.post("/sign-in/verify", data={"code": wrong, "csrf": token})
    assert refused.status_code == 401 and "The code is not right" in refused.text
    late = portal.client.post("/sign-in/verify", data={"code": code, "csrf": token})
    assert late.status_code == 401  # a wrong try burnt the code
    assert portal.client.get(FILE, follow_redirects=False).status_code == 303


def test_the_file_shows_scores_lists_decisions_and_histories(portal: Portal) -> None:
    portal.sign_in("subject")
    page = portal.client.get(f"{FILE}?lang=en").text
    for text in ("My score over time", "List of dishonest judgment defaulters", "How to get out"):
        assert text in page
    assert 'class="effect-deny"' in page and "notice served" in page
    # one chart per score model of a person: Rongcheng's points and the commercial scorecard
    assert page.count("<svg") == 2 and 'role="img"' in page
    zh = portal.client.get(f"{FILE}?lang=zh").text
    assert "我的档案" in zh and "拒绝" in zh
    reads = [e.action for e in audit(portal.seeded.registry, P1)]
    assert reads.count("read.subject.file") == 3  # with the page after signing in


def test_objecting_marks_the_record_disputed(portal: Portal) -> None:
    portal.client.get("/?lang=en")  # the language switch (a cookie) holds across redirects
    token = portal.sign_in("subject")
    body = {"record": "r1", "grounds": "The judgment was paid in full.", "csrf": token}
    done = portal.client.post(f"{FILE}/objections?lang=en", data=body)
    assert done.status_code == 200 and "Your objection has been filed" in done.text
    assert "You objected to this record on" in done.text
    again = portal.client.post(f"{FILE}/objections?lang=en", data=body)
    assert again.status_code == 422 and "This cannot be done now" in again.text


def test_the_subject_attaches_evidence_to_its_pending_objection(portal: Portal) -> None:
    portal.client.get("/?lang=en")
    token = portal.sign_in("subject")
    body = {"record": "r1", "grounds": "The judgment was paid in full.", "csrf": token}
    page = portal.client.post(f"{FILE}/objections", data=body)
    assert "Evidence for my objection to record r1" in page.text
    token = csrf_of(page.text)
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    url = f"{FILE}/objections/1/attachments"
    done = portal.client.post(url, data={"csrf": token}, files={"file": ("bank.png", png)})
    assert done.status_code == 200 and "Your evidence has been attached" in done.text
    assert f"{FILE}/attachments/1" in done.text and "image/png" in done.text
    assert portal.client.get(f"{FILE}/attachments/1").content == png
    wrong = {"file": ("bank.png", b"GIF89a not accepted")}
    refused = portal.client.post(url, data={"csrf": csrf_of(done.text)}, files=wrong)
    assert refused.status_code == 415
    forged = portal.client.post(url, data={"csrf": "forged"}, files={"file": ("a.png", png)})
    assert forged.status_code == 403
    assert [a.filename for a in subject_attachments(portal.seeded.registry, P1)] == ["bank.png"]


def test_repair_goes_through_the_workflow(portal: Portal) -> None:
    portal.client.get("/?lang=en")
    token = portal.sign_in("subject")
    body = {
        "list": "dishonest-judgment-defaulters",
        "statement": "Paid in full on 1 December.",
        "performed": "yes",
        "csrf": token,
    }
    done = portal.client.post(f"{FILE}/repairs?lang=en", data=body)
    assert done.status_code == 200 and "credit repair has been filed" in done.text
    assert "pending" in done.text


def test_copies_json_and_pdf(portal: Portal) -> None:
    portal.sign_in("subject")
    copy = portal.client.get(f"{FILE}/file.json")
    assert copy.status_code == 200 and "attachment" in copy.headers["content-disposition"]
    assert json.loads(copy.text)["file"]["subject"] == P1
    pdf = portal.client.get(f"{FILE}/report.pdf?lang=zh")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert portal.client.get(f"{FILE}/accesses?lang=en").text.count("read.subject.file") >= 2
    assert "You have been placed on a list" in portal.client.get(f"{FILE}/notices?lang=en").text


def test_another_subjects_page_is_refused_in_the_language_and_audited(portal: Portal) -> None:
    portal.sign_in("subject")
    for path in ("", "/accesses", "/notices", "/file.json", "/report.pdf"):
        refused = portal.client.get(f"/subjects/{P2}{path}?lang=zh")
        assert refused.status_code == 403 and "无权查看" in refused.text, path
    denied = [e.action for e in audit(portal.seeded.registry, P2)]
    assert denied.count("denied.subject.file") == 5


def test_a_forged_csrf_token_changes_nothing(portal: Portal) -> None:
    portal.sign_in("subject")
    before = counts(portal.seeded.registry)
    body = {"record": "r1", "grounds": "forged", "csrf": "f" * 64}
    refused = portal.client.post(f"{FILE}/objections?lang=en", data=body)
    assert refused.status_code == 403 and "security token" in refused.text
    missing = portal.client.post(f"{FILE}/objections?lang=zh", data={"record": "r1"})
    assert missing.status_code in (403, 422) and "表单" in missing.text
    assert counts(portal.seeded.registry) == before


def test_an_expired_session_asks_to_sign_in_again(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal.client.get("/?lang=en")
    token = portal.sign_in("subject")
    later = TimestampSigner.get_timestamp(TimestampSigner("k")) + 31 * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    page = portal.client.get(f"{FILE}?lang=en")
    assert page.url.path == "/sign-in" and "Your session has ended" in page.text
    before = counts(portal.seeded.registry)
    body = {"record": "r1", "grounds": "late", "csrf": token}
    refused = portal.client.post(f"{FILE}/objections?lang=en", data=body)
    assert refused.status_code == 401 and counts(portal.seeded.registry) == before


def test_an_unknown_key_and_an_invalid_identifier(portal: Portal) -> None:
    token = csrf_of(portal.client.get("/sign-in").text)
    refused = portal.client.post("/sign-in/key?lang=en", data={"key": "sck_nope", "csrf": token})
    assert refused.status_code == 401
    bad = portal.client.post("/sign-in/code?lang=en", data={"subject": "123", "csrf": token})
    assert bad.status_code == 422 and "not valid" in bad.text
    assert portal.inbox.messages == []


def test_sign_in_goes_back_only_to_a_local_page(portal: Portal) -> None:
    token = csrf_of(portal.client.get("/sign-in").text)
    for target, expected in (
        ("//evil.example/x", "/desk"),
        ("/\\evil.example", "/desk"),
        ("https://evil.example/", "/desk"),
        (f"/subjects/{P1}/notices", f"/subjects/{P1}/notices"),
    ):
        body = {"key": portal.seeded.keys["subject"], "csrf": token, "next": target}
        answer = portal.client.post("/sign-in/key", data=body, follow_redirects=False)
        assert answer.headers["location"] == expected, target
        token = csrf_of(portal.client.get("/sign-in").text)


def test_pages_are_neither_cached_nor_framed(portal: Portal) -> None:
    headers = portal.client.get("/").headers
    assert headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
