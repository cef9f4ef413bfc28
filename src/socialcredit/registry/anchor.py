"""The audit chain anchored outside the database (principle 11).

The hash chain alone shows a changed entry, but someone who can write to the database can
delete entries, recompute every later hash with the public hash function and move the stored
head: the chain is whole again. An anchor is what such a writer cannot reach: a *checkpoint*
of the chain, signed with an Ed25519 key the database does not hold and appended to a file
outside the database. A checkpoint names the chain's length (``tree_size``), the hash of its
last entry (``chain_head``), the root of the Merkle tree over every entry's hash
(:mod:`socialcredit.registry.merkle`, as Certificate Transparency's signed tree heads do), the
tree's frontier (so the next checkpoint reads only the entries added since), and the hash of
the previous checkpoint (so a checkpoint cannot be dropped from the middle unnoticed).

:func:`verify_anchored` walks the entries' hashes once and compares them with every
checkpoint: a truncated log, a deleted and re-hashed entry, a rolled-back head or a rewritten
early entry breaks at least one signed value. What it cannot see is a rewrite of entries made
after the last checkpoint: the interval between checkpoints is the window of exposure.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcredit.errors import InputError
from socialcredit.registry.anchorkeys import key_id
from socialcredit.registry.audit import (
    GENESIS,
)
from socialcredit.registry.merkle import Frontier
from socialcredit.registry.store.models import AuditEntry, RegistryState

CHECKPOINTS = "checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    """One signed statement about the chain: its first ``tree_size`` entries are these."""

    tree_size: int
    chain_head: str
    merkle_root: str
    frontier: list[str]
    prev: str
    at: str
    key_id: str
    signature: str = ""

    def signed_bytes(self) -> bytes:
        body = asdict(self)
        del body["signature"]
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    def digest(self) -> str:
        """What the next checkpoint's ``prev`` names."""
        return hashlib.sha256(self.line().encode()).hexdigest()


class AnchorStore:
    """An append-only file of checkpoints in ``directory`` (one JSON object a line)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / CHECKPOINTS

    def read(self) -> list[Checkpoint]:
        if not self.path.exists():
            return []
        found = []
        for number, text in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            try:
                found.append(Checkpoint(**json.loads(text)))
            except (ValueError, TypeError) as exc:
                raise InputError(
                    f"{self.path}:{number}: not a checkpoint ({exc})", {"line": number}
                ) from exc
        return found

    def append(self, checkpoint: Checkpoint) -> None:
        """Append one line and flush it to disk (O_APPEND: never rewrites what is there)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        with os.fdopen(descriptor, "a", encoding="utf-8") as out:
            out.write(checkpoint.line() + "\n")
            out.flush()
            os.fsync(out.fileno())


def hashes_after(session: Session, after: int, upto: int) -> Iterator[tuple[int, str]]:
    query = (
        select(AuditEntry.seq, AuditEntry.hash)
        .where(AuditEntry.seq > after, AuditEntry.seq <= upto)
        .order_by(AuditEntry.seq)
        .execution_options(yield_per=5000)
    )
    for seq, digest in session.execute(query):
        yield int(seq), str(digest)


def write_checkpoint(session: Session, store: AnchorStore, key: Ed25519PrivateKey) -> Checkpoint:
    """Sign the chain as it stands and append the checkpoint to ``store``.

    Reads only the entries added since the last checkpoint (its frontier carries the rest);
    refuses if the chain no longer extends the last checkpoint."""
    state = session.execute(select(RegistryState)).scalar_one()
    earlier = store.read()
    last = earlier[-1] if earlier else None
    frontier = Frontier() if last is None else Frontier.from_hex(last.tree_size, last.frontier)
    head = GENESIS if last is None else last.chain_head
    if state.audit_seq < frontier.size:
        raise InputError(
            f"the chain holds {state.audit_seq} entries, fewer than the {frontier.size} the "
            "last checkpoint signed: run `audit verify --anchors` before any new checkpoint",
            {"tree_size": frontier.size, "audit_seq": state.audit_seq},
        )
    for seq, digest in hashes_after(session, frontier.size, state.audit_seq):
        if seq != frontier.size + 1:
            raise InputError(f"audit entry {frontier.size + 1} is missing", {"seq": seq})
        frontier.append(bytes.fromhex(digest))
        head = digest
    if head != state.audit_head:
        raise InputError("the chain's stored head does not match its last entry", {})
    unsigned = Checkpoint(
        tree_size=frontier.size,
        chain_head=head,
        merkle_root=frontier.root().hex(),
        frontier=frontier.to_hex(),
        prev=GENESIS if last is None else last.digest(),
        at=datetime.now(UTC).isoformat(timespec="seconds"),
        key_id=key_id(key.public_key()),
    )
    signature = base64.b64encode(key.sign(unsigned.signed_bytes())).decode()
    checkpoint = Checkpoint(**{**asdict(unsigned), "signature": signature})
    store.append(checkpoint)
    return checkpoint


@dataclass(frozen=True)
class AnchorReport:
    checkpoints: int
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def as_dict(self) -> dict[str, Any]:
        return {"checkpoints": self.checkpoints, "problem": self.problem}


def _check_signatures(checkpoints: list[Checkpoint], public: Ed25519PublicKey) -> str | None:
    expected_id, prev, size = key_id(public), GENESIS, 0
    for number, point in enumerate(checkpoints, 1):
        if point.key_id != expected_id:
            return f"checkpoint {number} was signed by another key ({point.key_id})"
        try:
            public.verify(base64.b64decode(point.signature), point.signed_bytes())
        except (InvalidSignature, ValueError):
            return f"checkpoint {number} has an invalid signature"
        if point.prev != prev:
            return f"checkpoint {number} does not follow checkpoint {number - 1}"
        if point.tree_size < size:
            return f"checkpoint {number} signs a shorter chain than checkpoint {number - 1}"
        prev, size = point.digest(), point.tree_size
    return None


def verify_anchored(session: Session, store: AnchorStore, public: Ed25519PublicKey) -> AnchorReport:
    """Check the stored chain against every signed checkpoint (see the module's docstring)."""
    checkpoints = store.read()
    problem = _check_signatures(checkpoints, public)
    if problem is not None or not checkpoints:
        return AnchorReport(len(checkpoints), problem)
    state = session.execute(select(RegistryState)).scalar_one()
    if state.audit_seq < checkpoints[-1].tree_size:
        return AnchorReport(
            len(checkpoints),
            f"the chain's head is at entry {state.audit_seq}, but a checkpoint signed "
            f"{checkpoints[-1].tree_size} entries: entries were removed or the head rolled back",
        )
    return AnchorReport(len(checkpoints), _walk(session, checkpoints))


def _walk(session: Session, checkpoints: list[Checkpoint]) -> str | None:
    frontier, head, pending = Frontier(), GENESIS, iter(checkpoints)
    point = next(pending, None)
    while point is not None and point.tree_size == 0:
        point = next(pending, None)
    for seq, digest in hashes_after(session, 0, checkpoints[-1].tree_size):
        if seq != frontier.size + 1:
            return f"audit entry {frontier.size + 1} is missing (signed by a checkpoint)"
        frontier.append(bytes.fromhex(digest))
        head = digest
        while point is not None and point.tree_size == frontier.size:
            if head != point.chain_head or frontier.root().hex() != point.merkle_root:
                return (
                    f"the first {point.tree_size} entries differ from what the checkpoint "
                    f"of {point.at} signed: the chain was rewritten"
                )
            point = next(pending, None)
    if point is not None:
        return f"the chain ends at entry {frontier.size}, before a signed checkpoint"
    return None
