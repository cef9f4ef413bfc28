"""Signed daily files of a provider's feed, for providers that load lists in bulk.

``socialcredit feeds export`` writes, for one provider and one registry day, either a *full*
snapshot (every decision that now denies or restricts a subject at one of its services: a
provider replaces its list with it) or a *delta* (the changes of that day, oldest first), as
JSON Lines, with a manifest (provider, day, kind, line count and counts by effect or change,
the data file's SHA-256, the feed position the file reaches and a cursor to follow the feed
from there) and a detached Ed25519 signature over the manifest's bytes. Every line handed out
is audited as a read of its subject's data by the provider (``read.subject.feed``, via
``file``), in the transaction that reads it. ``socialcredit feeds verify`` checks the signature,
then the data file against the manifest.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcredit.errors import FeedFileError, InputError, RequestInvalidError
from socialcredit.registry.anchorkeys import key_id
from socialcredit.registry.audit import Actor
from socialcredit.registry.context import Registry
from socialcredit.registry.reads.feed import (
    Change,
    Provider,
    audit_reads,
    change_out,
    cursor_at,
    handed,
    lock_head,
    provider_named,
    sequence_all,
)
from socialcredit.registry.store.feeds import FeedChange
from socialcredit.registry.store.models import AssessmentDecision, table
from socialcredit.registry.writes.feedlog import RESTRICTING, span, view

FORMAT = "socialcredit-feed/1"


@dataclass(frozen=True)
class ExportRequest:
    provider: str
    day: date
    out: Path
    full: bool
    key: Ed25519PrivateKey
    operator: str  # who runs the export (the audit names the provider as the reader)


@dataclass(frozen=True)
class Exported:
    data: Path
    manifest: Path
    signature: Path
    lines: int
    position: int


@dataclass(frozen=True)
class _Snapshot:
    lines: list[dict[str, Any]]
    position: int


def _full(session: Session, provider: Provider, day: date) -> list[dict[str, Any]]:
    query = (
        select(AssessmentDecision)
        .where(
            AssessmentDecision.service.in_(sorted(provider.services)),
            AssessmentDecision.effect.in_(RESTRICTING),
        )
        .order_by(AssessmentDecision.service, AssessmentDecision.subject_id)
    )
    lines = []
    for row in session.execute(query).scalars():
        shown = view(row.decision)
        assert shown is not None
        since, until = span(shown[1])
        lines.append(
            {"subject": row.subject_id, "service": row.service, "effect": shown[0]}
            | {"reasons": shown[1], "since": _iso(since), "until": _iso(until)}
            | {"as_of": day.isoformat()}
        )
    return lines


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _delta(session: Session, provider: Provider, day: date) -> list[Change]:
    query = select(*table(FeedChange).c).where(
        FeedChange.service.in_(sorted(provider.services)),
        FeedChange.on == day,
        FeedChange.position.is_not(None),
    )
    return list(session.execute(query.order_by(FeedChange.position)))


def _read(reg: Registry, request: ExportRequest) -> tuple[Provider, _Snapshot]:
    with reg.session() as session, session.begin():
        today = reg.state(session).as_of
        if request.day > today or (request.full and request.day != today):
            raise RequestInvalidError(
                f"the registry is at {today}: a full snapshot is of that day, and a delta of a "
                f"day no later than it (not {request.day})",
                {"registry_date": today.isoformat(), "day": request.day.isoformat()},
            )
        provider = provider_named(session, request.provider)
        actor = Actor(
            f"principal:{provider.principal}:{request.provider}",
            "service",
            f"daily feed file, exported by {request.operator}",
        )
        conn = session.connection()
        head = lock_head(conn)
        position = sequence_all(conn)
        if request.full:
            lines = _full(session, provider, request.day)
            reads = [(line["subject"], line["service"], position) for line in lines]
            audit_reads(conn, head, actor, reads, "file")
            return provider, _Snapshot(lines, position)
        rows = _delta(session, provider, request.day)
        audit_reads(conn, head, actor, handed(rows), "file")
        return provider, _Snapshot([change_out(r) for r in rows], position)


def export(reg: Registry, request: ExportRequest) -> Exported:
    """Write the provider's file for the day, its manifest and its signature under ``out``."""
    provider, snap = _read(reg, request)
    kind = "full" if request.full else "delta"
    stem = f"{request.provider}-{request.day.isoformat()}-{kind}"
    request.out.mkdir(parents=True, exist_ok=True)
    data = b"".join(orjson.dumps(line) + b"\n" for line in snap.lines)
    data_path = request.out / f"{stem}.jsonl"
    data_path.write_bytes(data)
    counted = Counter(str(line.get("change") or line["effect"]) for line in snap.lines)
    manifest = {
        "format": FORMAT,
        "provider": request.provider,
        "services": sorted(provider.services),
        "day": request.day.isoformat(),
        "kind": kind,
        "file": data_path.name,
        "lines": len(snap.lines),
        "counts": dict(sorted(counted.items())),
        "sha256": hashlib.sha256(data).hexdigest(),
        "position": snap.position,
        "cursor": cursor_at(reg, provider.principal, snap.position),
        "key_id": key_id(request.key.public_key()),
    }
    manifest_bytes = orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    manifest_path = request.out / f"{stem}.manifest.json"
    manifest_path.write_bytes(manifest_bytes)
    signature_path = request.out / f"{stem}.manifest.json.sig"
    signature_path.write_text(base64.b64encode(request.key.sign(manifest_bytes)).decode() + "\n")
    return Exported(data_path, manifest_path, signature_path, len(snap.lines), snap.position)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", {"path": str(path)}) from exc


def verify(manifest_path: Path, public: Ed25519PublicKey) -> dict[str, Any]:
    """Check the manifest's signature (``<manifest>.sig`` beside it), then the data file's
    SHA-256 and line count; return the manifest."""
    manifest_bytes = _read_bytes(manifest_path)
    signature_path = manifest_path.with_name(manifest_path.name + ".sig")
    try:
        public.verify(base64.b64decode(_read_bytes(signature_path), validate=False), manifest_bytes)
    except (InvalidSignature, ValueError):
        raise FeedFileError(
            f"{manifest_path.name}: the signature does not match this manifest and key",
            {"manifest": str(manifest_path)},
        ) from None
    manifest: dict[str, Any] = orjson.loads(manifest_bytes)
    data = _read_bytes(manifest_path.with_name(manifest["file"]))
    found = {"sha256": hashlib.sha256(data).hexdigest(), "lines": data.count(b"\n")}
    for field, value in found.items():
        if manifest[field] != value:
            raise FeedFileError(
                f"{manifest['file']}: its {field} is {value}, the signed manifest says "
                f"{manifest[field]}: the file was altered or truncated",
                {"file": manifest["file"], "field": field},
            )
    return manifest
