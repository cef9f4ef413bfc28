"""Channel callbacks: an e-mail gateway's receipt and Kannel's SMS delivery reports update the
notice (and serve the record's notice); a wrong token or an unknown report changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from socialcredit.registry import Registry
from socialcredit.registry.store.models import Notice, RecordRow
from socialcredit.registry.workflows.receiptlinks import receipt_tokens
from socialcredit.registry.workflows.senders import FileSender
from socialcredit.registry.writes.notices import deliver
from tests.api.conftest import Keys
from tests.api.helpers import problem
from tests.registry.helpers import spc


def _sent(client: TestClient, keys: Keys, registry: Registry, tmp_path: Path) -> int:
    """A court record whose notice the registry serves, its notice sent."""
    record = spc("A1", decided=date(2024, 12, 20)) | {"notified_on": None}
    assert client.post("/v1/agency/records", json=record, headers=keys["court"]).is_success
    deliver(registry.sessions, FileSender(tmp_path / "sent.jsonl"))
    with registry.session() as session:
        found: int = session.execute(select(Notice.id).where(Notice.kind == "record")).scalar_one()
    return found


def _state(registry: Registry, notice: int) -> tuple[str, str | None]:
    with registry.session() as session:
        row = session.get(Notice, notice)
        record = session.execute(select(RecordRow)).scalar_one()
        assert row is not None
        return row.status, record.notice


def test_an_email_receipt_serves_the_notice(
    client: TestClient, keys: Keys, registry: Registry, tmp_path: Path
) -> None:
    notice = _sent(client, keys, registry, tmp_path)
    assert _state(registry, notice) == ("sent", "pending")
    token = receipt_tokens(registry)(notice)
    wrong = {"notice": notice, "token": "0" * 32, "delivered": True}
    problem(client.post("/v1/channels/email/receipt", json=wrong), 404, "not-found")
    assert _state(registry, notice) == ("sent", "pending")
    body = {"notice": notice, "token": token, "delivered": True, "detail": "250 OK"}
    done = client.post("/v1/channels/email/receipt", json=body)
    assert done.json() == {"notice": notice, "status": "delivered", "served_on": "2025-01-01"}
    assert _state(registry, notice) == ("delivered", "served")
    again = client.post("/v1/channels/email/receipt", json=body)
    problem(again, 422, "lifecycle-invalid")  # a notice takes one final receipt


def test_sms_reports_interim_then_failed(
    client: TestClient, keys: Keys, registry: Registry, tmp_path: Path
) -> None:
    notice = _sent(client, keys, registry, tmp_path)
    token = receipt_tokens(registry)(notice)
    url = "/v1/channels/sms/dlr"
    interim = client.get(url, params={"notice": notice, "token": token, "type": 8})
    assert interim.json()["status"] == "sent"
    assert _state(registry, notice) == ("sent", "pending")
    unknown = client.get(url, params={"notice": notice, "token": token, "type": 3})
    problem(unknown, 422, "request-invalid")
    params = {"notice": notice, "token": token, "type": 2, "detail": "NACK/absent subscriber"}
    failed = client.get(url, params=params).json()
    assert failed["status"] == "substitute"  # publication, complete 30 days later
    assert failed["served_on"] == "2025-01-31"
    assert _state(registry, notice) == ("substitute", "substitute")
    with registry.session() as session:
        row = session.get(Notice, notice)
        assert row is not None and row.last_error == "NACK/absent subscriber"
