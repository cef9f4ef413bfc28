"""The audit chain anchored outside the database: signed checkpoints catch what the chain alone
cannot (truncation with the head moved back, deletion with every later hash recomputed), and
an entry's inclusion can be proven against a signed Merkle root."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select, update

from socialcredit.errors import InputError
from socialcredit.registry import Actor, Registry
from socialcredit.registry.anchor import AnchorStore, Checkpoint, verify_anchored, write_checkpoint
from socialcredit.registry.anchorproofs import prove
from socialcredit.registry.audit import GENESIS, entry_hash, verify
from socialcredit.registry.merkle import verify_inclusion
from socialcredit.registry.reads.checks import check
from socialcredit.registry.store.models import AuditEntry, RegistryState
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, spc

KEY = Ed25519PrivateKey.generate()
AIRLINE = Actor("airline", "service", "ticket sale")


def _activity(reg: Registry, n: int, start: int = 0) -> None:
    for k in range(start, start + n):
        submit_record(reg, spc(f"a-{k}", decided=date(2024, 10, 1)), Submission(COURT, OPERATOR))
        check(reg, P1, "flight-booking", AIRLINE)


def _checkpoint(reg: Registry, store: AnchorStore) -> Checkpoint:
    with reg.session() as session:
        return write_checkpoint(session, store, KEY)


def _anchored(reg: Registry, store: AnchorStore) -> str | None:
    with reg.session() as session:
        assert verify(session).ok, "the chain alone must look whole in these trials"
        return verify_anchored(session, store, KEY.public_key()).problem


def _rehash_without(reg: Registry, removed: int) -> None:
    """What a database writer can do with the public hash function: delete an entry, number
    the rest again, recompute every later hash and move the head."""
    with reg.session() as session, session.begin():
        rows = list(session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars())
        session.execute(delete(AuditEntry))
        session.flush()
        prev, seq = GENESIS, 0
        for row in rows:
            if row.seq == removed:
                continue
            seq += 1
            fields = {
                "seq": seq,
                "at": row.at,
                "actor": row.actor,
                "role": row.role,
                "action": row.action,
                "subject_ref": row.subject_ref,
                "purpose": row.purpose,
                "details": row.details,
            }
            digest = entry_hash(fields, prev)
            session.add(AuditEntry(**fields, prev_hash=prev, hash=digest))
            prev = digest
        session.flush()
        session.execute(update(RegistryState).values(audit_seq=seq, audit_head=prev))


def test_intact_chain_matches_every_checkpoint(registry: Registry, tmp_path: Path) -> None:
    store = AnchorStore(tmp_path / "anchors")
    _activity(registry, 2)
    first = _checkpoint(registry, store)
    _activity(registry, 3, start=2)
    second = _checkpoint(registry, store)
    _activity(registry, 1, start=5)  # entries after the last checkpoint are allowed
    assert second.tree_size > first.tree_size and second.prev == first.digest()
    assert _anchored(registry, store) is None


def test_truncation_with_the_head_moved_back_is_caught(registry: Registry, tmp_path: Path) -> None:
    store = AnchorStore(tmp_path / "anchors")
    _activity(registry, 3)
    signed = _checkpoint(registry, store)
    keep = signed.tree_size - 2
    with registry.session() as session, session.begin():
        head = session.execute(select(AuditEntry.hash).where(AuditEntry.seq == keep)).scalar_one()
        session.execute(delete(AuditEntry).where(AuditEntry.seq > keep))
        session.execute(update(RegistryState).values(audit_seq=keep, audit_head=head))
    assert "removed or the head rolled back" in str(_anchored(registry, store))


def test_deletion_with_rehashing_is_caught(registry: Registry, tmp_path: Path) -> None:
    store = AnchorStore(tmp_path / "anchors")
    _activity(registry, 3)
    _checkpoint(registry, store)
    _activity(registry, 2, start=3)  # the rewrite leaves the chain longer than the checkpoint
    _rehash_without(registry, removed=3)
    assert "rewritten" in str(_anchored(registry, store))


def test_forged_dropped_or_foreign_checkpoints_are_caught(
    registry: Registry, tmp_path: Path
) -> None:
    store = AnchorStore(tmp_path / "anchors")
    _activity(registry, 1)
    _checkpoint(registry, store)
    _activity(registry, 1, start=1)
    _checkpoint(registry, store)
    lines = store.path.read_text().splitlines()
    store.path.write_text(lines[1] + "\n")  # the first checkpoint dropped
    assert "does not follow" in str(_anchored(registry, store))
    store.path.write_text(lines[0].replace('"tree_size":', '"tree_size":1') + "\n")
    assert "invalid signature" in str(_anchored(registry, store))
    with registry.session() as session:
        other = verify_anchored(session, AnchorStore(tmp_path / "x"), KEY.public_key())
        assert other.ok and other.checkpoints == 0
    foreign = AnchorStore(tmp_path / "foreign")
    with registry.session() as session:
        write_checkpoint(session, foreign, Ed25519PrivateKey.generate())
    assert "another key" in str(_anchored(registry, foreign))


def test_a_checkpoint_refuses_a_chain_shorter_than_the_last(
    registry: Registry, tmp_path: Path
) -> None:
    store = AnchorStore(tmp_path / "anchors")
    _activity(registry, 2)
    signed = _checkpoint(registry, store)
    with registry.session() as session, session.begin():
        session.execute(delete(AuditEntry).where(AuditEntry.seq == signed.tree_size))
        session.execute(update(RegistryState).values(audit_seq=signed.tree_size - 1))
    with pytest.raises(InputError, match="fewer than"):
        _checkpoint(registry, store)


def test_an_entry_is_proven_in_the_signed_tree(registry: Registry, tmp_path: Path) -> None:
    store = AnchorStore(tmp_path / "anchors")
    _activity(registry, 3)
    signed = _checkpoint(registry, store)
    with registry.session() as session:
        for seq in (1, signed.tree_size // 2, signed.tree_size):
            proof = prove(session, store, seq)
            leaf, root = bytes.fromhex(proof.entry_hash), bytes.fromhex(signed.merkle_root)
            path = [bytes.fromhex(node) for node in proof.path]
            assert verify_inclusion(leaf, seq - 1, proof.tree_size, path, root)
            assert not verify_inclusion(leaf, seq % signed.tree_size, signed.tree_size, path, root)
        with pytest.raises(InputError, match="no checkpoint covers"):
            prove(session, store, signed.tree_size + 100)
