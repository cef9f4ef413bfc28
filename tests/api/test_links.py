"""Links through the API: the market regulator submits a legal representative's link, the
person sees it in the file, the airline is refused, the person objects and the regulator's
reviewer revokes it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcredit.registry import Registry
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from tests.api.conftest import ADMIN, Keys
from tests.api.helpers import audit
from tests.registry.helpers import O1, P1, P2, spc
from tests.registry.linkhelpers import REGULATOR, legal_rep

URL = "/v1/agency/links"


def _bearer(reg: Registry, spec: PrincipalSpec) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_principal(reg, spec, ADMIN)[1]}"}


def test_a_link_from_submission_to_revocation(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    regulator = _bearer(registry, PrincipalSpec("regulator", "agency", authority=REGULATOR))
    reviewer = _bearer(registry, PrincipalSpec("reg-reviewer", "reviewer", authority=REGULATOR))
    assert client.post("/v1/agency/records", json=spc("J1", subject=O1), headers=keys["court"])
    link = legal_rep("REG-1", O1, P1)
    # the court cannot register a legal representative: a precise problem, nothing stored
    refused = client.post(URL, json=link, headers=keys["court"])
    assert refused.status_code == 422
    assert "cannot establish a link as legal_representative" in refused.text
    assert client.post(URL, json=link, headers=regulator).status_code == 201
    assert client.post(URL, json=link, headers=regulator).status_code == 200
    changed = client.post(URL, json=link | {"reference": "other"}, headers=regulator)
    assert changed.status_code == 409
    check = {"subject": P1, "service": "flight-booking"}
    assert client.post("/v1/checks", json=check, headers=keys["airline"]).json()["effect"] == "deny"
    own = client.get(f"/v1/subjects/{P1}/file", headers=keys["subject"]).json()
    [mine] = own["links"]
    assert (mine["role"], mine["organisation"]) == ("legal_representative", O1)
    objection = {"record": mine["link"], "grounds": "I resigned before the judgment"}
    filed = client.post(f"/v1/subjects/{P1}/objections", json=objection, headers=keys["subject"])
    assert filed.status_code == 201, filed.text
    case = filed.json()
    assert case["record"] == mine["link"]
    decision = {"outcome": "revoked", "reason": "the register shows a successor"}
    url = f"/v1/review/objections/{case['id']}/decision"
    # the court's reviewer does not decide the regulator's link
    assert client.post(url, json=decision, headers=keys["reviewer"]).status_code == 403
    assert client.post(url, json=decision, headers=reviewer).status_code == 200
    assert (
        client.post("/v1/checks", json=check, headers=keys["airline"]).json()["effect"] == "allow"
    )


def test_an_agency_lists_only_its_own_links_paged_and_audited(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    regulator = _bearer(registry, PrincipalSpec("regulator", "agency", authority=REGULATOR))
    for n, person in enumerate((P1, P2), start=1):
        role = "legal_representative" if n == 1 else "main_responsible_person"
        sent = client.post(
            URL, json=legal_rep(f"REG-{n}", O1, person, role=role), headers=regulator
        )
        assert sent.status_code == 201, sent.text
    finding = legal_rep("C1", O1, P2, role="actual_controller", source="court_finding")
    assert client.post(URL, json=finding, headers=keys["court"]).status_code == 201
    before = {s: len(audit(registry, s)) for s in (P1, P2, O1)}
    first = client.get(URL, params={"limit": 1}, headers=regulator)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["total"] == 2 and [k["id"] for k in body["items"]] == ["REG-1"]
    [item] = body["items"]
    assert (item["organisation"], item["person"], item["agency"]) == (O1, P1, REGULATOR)
    rest = client.get(URL, params={"limit": 1, "offset": 1}, headers=regulator).json()
    assert [k["id"] for k in rest["items"]] == ["REG-2"]
    court = client.get(URL, headers=keys["court"]).json()
    assert [k["id"] for k in court["items"]] == ["C1"] and court["total"] == 1
    # each link read is audited under its person and its organisation
    after = {s: [e.action for e in audit(registry, s)][before[s] :] for s in (P1, P2, O1)}
    assert after == {
        P1: ["read.link.agency"],
        P2: ["read.link.agency", "read.link.agency"],
        O1: ["read.link.agency"] * 3,
    }
    assert client.get(URL, headers=keys["subject"]).status_code == 403
