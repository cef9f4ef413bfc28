"""Agencies upload files over HTTP (plain or with their mapping) and work their quarantine."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcredit.registry import Registry
from tests.api.conftest import Keys
from tests.api.helpers import counts, problem
from tests.conftest import ROOT
from tests.registry.helpers import spc

MAPPINGS = ROOT / "examples" / "mappings"
URL = "/v1/agency/uploads"


def _files(csv: bytes, mapping: str = "court-enforcement.yaml") -> dict[str, tuple[str, bytes]]:
    return {
        "file": ("court-enforcement.csv", csv),
        "mapping": (mapping, (MAPPINGS / mapping).read_bytes()),
    }


def _spoiled() -> bytes:
    text = (MAPPINGS / "court-enforcement.csv").read_bytes().decode("gb18030")
    lines = text.splitlines()
    cells = lines[2].split(",")
    cells[7] = "99"  # a code the court's table lacks
    lines[2] = ",".join(cells)
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def test_mapped_upload_quarantine_and_resubmission(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    court = keys["court"]
    answer = client.post(URL, files=_files(_spoiled()), headers=court)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["lines_in"], body["stored"], body["unchanged"], body["quarantined"]) == (
        12,
        11,
        0,
        1,
    )
    assert body["outcomes"][0]["index"] == 3 and "'99'" in body["outcomes"][0]["reasons"][0]
    listed = client.get("/v1/agency/quarantine", headers=court).json()
    assert listed["total"] == 1 and listed["items"][0]["line"] == 3
    entry = listed["items"][0]["id"]
    assert "99" in listed["items"][0]["raw"]
    tax = client.get("/v1/agency/quarantine", headers=keys["tax"]).json()
    assert tax["total"] == 0  # an agency sees only its own lines
    record = spc("SX202400002", item="SPC-OBSTRUCT-VIOLENCE")
    foreign = {"corrections": [{"entry": entry, "record": record}]}
    problem(
        client.post("/v1/agency/quarantine/resubmit", json=foreign, headers=keys["tax"]),
        404,
        "not-found",
    )
    done = client.post("/v1/agency/quarantine/resubmit", json=foreign, headers=court)
    assert done.status_code == 200 and done.json()[0]["status"] == "registered"
    assert client.get("/v1/agency/quarantine", headers=court).json()["total"] == 0
    assert counts(registry)["records"] == 12


def test_a_mapping_of_another_agency_or_refused_changes_nothing(
    client: TestClient, keys: Keys, registry: Registry
) -> None:
    before = counts(registry)
    csv = (MAPPINGS / "court-enforcement.csv").read_bytes()
    problem(client.post(URL, files=_files(csv), headers=keys["tax"]), 403, "access-denied")
    broken = {"file": ("x.csv", csv), "mapping": ("m.yaml", b"mapping: {name: x}\n")}
    refused = problem(client.post(URL, files=broken, headers=keys["court"]), 422, "mapping-invalid")
    assert refused["details"]["problems"][0]["line"] is not None
    header_only = {
        "file": ("export.csv", "记录编号\n".encode("gb18030")),
        "mapping": _files(b"")["mapping"],
    }
    missing = problem(
        client.post(URL, files=header_only, headers=keys["court"]), 400, "input-invalid"
    )
    assert (
        missing["detail"].startswith("export.csv: the columns") and "/tmp" not in missing["detail"]
    )
    plain = {"file": ("records.txt", b"{}")}
    problem(client.post(URL, files=plain, headers=keys["court"]), 400, "input-invalid")
    assert counts(registry) == before
