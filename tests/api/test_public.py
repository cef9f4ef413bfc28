"""The public over HTTP: published policies, organisations' public records within their
disclosure period, public lists with persons masked; natural persons never looked up."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from socialcredit.registry import Registry
from socialcredit.registry.store.models import Notice
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from socialcredit.registry.workflows.senders import FileSender
from socialcredit.registry.writes.notices import deliver
from socialcredit.registry.writes.service import Receipt, record_receipt
from tests.api.conftest import ADMIN, Keys
from tests.api.helpers import audit, problem
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import O1, P1, spc

SOCIAL = "Social-insurance agency under the human resources and social security department"


def _org(record_id: str, item: str, decided: str) -> dict[str, Any]:
    return {
        "id": record_id,
        "subject": O1,
        "item": item,
        "decided_on": decided,
        "authority": "Tax bureau of Fuzhou",
        "reference": f"Rong Shui {record_id}",
    }


def _serve_notices(registry: Registry) -> None:
    """Send the queued notices and confirm the delivery of the records' ones."""
    deliver(registry.sessions, FileSender(None))
    with registry.session() as session:
        query = select(Notice.id).where(Notice.kind == "record", Notice.status == "sent")
        sent = list(session.execute(query).scalars())
    for notice in sent:
        record_receipt(registry, Receipt(notice, delivered=True), OPERATOR)


def test_published_policies_with_legal_bases(client: TestClient) -> None:
    policies = client.get("/v1/public/policies").json()
    assert {p["id"] for p in policies["items"]} >= {"judgment-defaulters", "enterprise"}
    assert all(p["objection_review_days"] for p in policies["items"])
    full = client.get("/v1/public/policies/judgment-defaulters").json()
    assert full["content"]["memoranda"][0]["measures"][0]["nexus"]
    page = client.get("/v1/public/catalogue", params={"limit": 5, "offset": 5}).json()
    assert (len(page["items"]), page["offset"], page["next_offset"]) == (5, 5, 10)
    assert all("legal_basis" in item and "policy" in item for item in page["items"])
    for section in ("lists", "memoranda", "score-models", "services"):
        assert client.get(f"/v1/public/{section}").json()["total"] > 0
    problem(client.get("/v1/public/policies/nope"), 404, "not-found")


def test_organisation_lookup_shows_only_public_records_in_their_period(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    social = create_principal(registry, PrincipalSpec("si", "agency", authority=SOCIAL), ADMIN)
    headers = {"Authorization": f"Bearer {social[1]}"}
    client.post(
        "/v1/agency/records", json=_org("T1", "ENT-TAX-ARREARS", "2024-12-01"), headers=keys["tax"]
    )
    client.post(
        "/v1/agency/records",
        json=_org("S1", "ENT-SOCIAL-INSURANCE-ARREARS", "2024-12-01"),
        headers=headers,
    )
    client.put(
        f"/v1/agency/organisations/{O1}",
        json={"name": "Fuzhou Example Trading Co."},
        headers=keys["tax"],
    )
    found = client.get(f"/v1/public/organisations/{O1}").json()
    assert found["name"] == "Fuzhou Example Trading Co."
    assert found["records"] == []  # its notice is not served yet
    _serve_notices(registry)
    found = client.get(f"/v1/public/organisations/{O1}").json()
    assert found["records"] == []  # in its notice period (served today, 7 days)
    client.post("/v1/admin/tick", json={"as_of": "2025-01-10"}, headers=keys["admin"])
    found = client.get(f"/v1/public/organisations/{O1}").json()
    assert [(r["item"], r["disclosed_until"]) for r in found["records"]] == [
        ("ENT-TAX-ARREARS", "2025-07-08")
    ]
    assert audit(registry, O1)[-1].action == "read.public.lookup"
    client.post("/v1/admin/tick", json={"as_of": "2025-07-08"}, headers=keys["admin"])
    assert client.get(f"/v1/public/organisations/{O1}").json()["records"] == []
    names = client.get("/v1/public/organisations", params={"name": "example trad"}).json()
    assert names["items"] == [{"subject": O1, "name": "Fuzhou Example Trading Co."}]
    assert client.get("/v1/public/organisations", params={"name": "%"}).status_code == 422


def test_persons_are_never_looked_up_and_are_masked_on_public_lists(
    client: TestClient, keys: Keys
) -> None:
    client.post("/v1/agency/records", json=spc("A1"), headers=keys["court"])
    problem(client.get(f"/v1/public/organisations/{P1}"), 404, "not-found")
    members = client.get("/v1/public/lists/dishonest-judgment-defaulters/members").json()
    assert members["items"] == [
        {
            "subject": "110105********002X",
            "kind": "person",
            "name": None,
            "since": "2024-12-09",
            "until": "2027-12-09",
        }
    ]
    assert P1 not in client.get("/v1/public/lists/dishonest-judgment-defaulters/members").text
    problem(client.get("/v1/public/lists/no-such-list/members"), 404, "not-found")
