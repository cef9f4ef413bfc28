"""A subject proves that a read of their file is in the audit log a signed checkpoint saw."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from socialcredit.api.app import ApiSettings, create_app
from socialcredit.registry import Registry
from socialcredit.registry.anchor import AnchorStore, write_checkpoint
from socialcredit.registry.merkle import verify_inclusion
from tests.api.conftest import Keys
from tests.registry.helpers import P1


def test_a_subject_proves_a_read_of_their_file(
    registry: Registry, keys: Keys, tmp_path: Path
) -> None:
    store = AnchorStore(tmp_path / "anchors")
    settings = ApiSettings(
        registry=registry.settings, auth_cache_seconds=0, anchor_dir=tmp_path / "anchors"
    )
    with TestClient(create_app(settings)) as client:
        assert client.get(f"/v1/subjects/{P1}/file", headers=keys["subject"]).status_code == 200
        listing = client.get(f"/v1/subjects/{P1}/accesses", headers=keys["subject"]).json()
        seq = listing["items"][0]["seq"]
        early = client.get(f"/v1/subjects/{P1}/accesses/{seq}/proof", headers=keys["subject"])
        assert early.status_code == 400 and "no checkpoint covers" in early.text
        with registry.session() as session:
            signed = write_checkpoint(session, store, Ed25519PrivateKey.generate())
        answer = client.get(f"/v1/subjects/{P1}/accesses/{seq}/proof", headers=keys["subject"])
        assert answer.status_code == 200
        proof = answer.json()
        assert proof["merkle_root"] == signed.merkle_root
        path = [bytes.fromhex(node) for node in proof["path"]]
        leaf, root = bytes.fromhex(proof["entry_hash"]), bytes.fromhex(signed.merkle_root)
        assert verify_inclusion(leaf, seq - 1, proof["tree_size"], path, root)
        other = client.get(f"/v1/subjects/{P1}/accesses/1/proof", headers=keys["subject"])
        assert other.status_code == 404  # entry 1 is not a read of this subject's data
        after = client.get(f"/v1/subjects/{P1}/accesses", headers=keys["subject"]).json()
        assert "read.subject.access-proof" in [item["action"] for item in after["items"]]


def test_without_anchors_the_proof_route_says_so(client: TestClient, keys: Keys) -> None:
    answer = client.get(f"/v1/subjects/{P1}/accesses/1/proof", headers=keys["subject"])
    assert answer.status_code == 404 and "no signed checkpoints" in answer.text
