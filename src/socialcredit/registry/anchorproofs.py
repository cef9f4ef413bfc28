"""Inclusion proofs: that an audit entry is in the Merkle tree a signed checkpoint names
(RFC 9162 audit paths), for operators and for subjects' own access entries."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcredit.errors import InputError, NotFoundError
from socialcredit.identity import parse_subject
from socialcredit.registry.anchor import AnchorStore, hashes_after
from socialcredit.registry.audit import Actor, AuditEvent, append, in_access_listing, subject_ref
from socialcredit.registry.context import Registry
from socialcredit.registry.merkle import inclusion_proof
from socialcredit.registry.store.models import AuditEntry


@dataclass(frozen=True)
class InclusionProof:
    """That entry ``seq`` is in the tree a checkpoint signed (RFC 9162 audit path)."""

    seq: int
    entry_hash: str
    tree_size: int
    merkle_root: str
    checkpoint_at: str
    path: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def prove(session: Session, store: AnchorStore, seq: int) -> InclusionProof:
    """The inclusion proof of entry ``seq`` in the first checkpoint that covers it.

    Reads the hashes of every entry up to that checkpoint (linear in the log's length)."""
    point = next((p for p in store.read() if p.tree_size >= seq), None)
    if point is None or seq < 1:
        raise InputError(
            f"no checkpoint covers audit entry {seq} yet: run `audit checkpoint`", {"seq": seq}
        )
    leaves = [bytes.fromhex(digest) for _, digest in hashes_after(session, 0, point.tree_size)]
    if len(leaves) != point.tree_size:
        raise InputError("the chain is shorter than its checkpoint: run `audit verify`", {})
    path = inclusion_proof(leaves, seq - 1)
    return InclusionProof(
        seq=seq,
        entry_hash=leaves[seq - 1].hex(),
        tree_size=point.tree_size,
        merkle_root=point.merkle_root,
        checkpoint_at=point.at,
        path=[node.hex() for node in path],
    )


def access_proof(
    reg: Registry, subject: str, seq: int, store: AnchorStore, actor: Actor
) -> InclusionProof:
    """The inclusion proof of one entry of the subject's access listing (a read of, or a
    refused attempt on, their data); audited like the listing itself."""
    sid = parse_subject(subject).value
    with reg.session() as session, session.begin():
        ref = subject_ref(reg.state(session).audit_key, sid)
        found = session.execute(
            select(AuditEntry.seq).where(
                AuditEntry.seq == seq,
                AuditEntry.subject_ref == ref,
                in_access_listing(),
            )
        ).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"entry {seq} is not in your access listing", {"seq": seq})
        proof = prove(session, store, seq)
        append(session, actor, [AuditEvent("read.subject.access-proof", sid, {"seq": seq})])
        return proof
