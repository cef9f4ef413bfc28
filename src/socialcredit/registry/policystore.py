"""Policy versions in the registry: load files, and rebuild the active policy set.

A loaded file is stored as its YAML text with its SHA-256. The active set is the latest
version of each policy id. The set is rebuilt from the stored texts with the policy package's
own loader (the texts are written to a temporary directory), so the registry never interprets
a policy itself.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import yaml
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from socialcredit.errors import PolicyError
from socialcredit.policy import PolicySet, check_files, expand_paths, load_policies
from socialcredit.registry.store.models import PolicyVersion


@dataclass(frozen=True)
class ActivePolicies:
    """The compiled active set and where each score model and list comes from."""

    policy_set: PolicySet
    hashes: tuple[str, ...]
    model_policy: dict[str, str]
    list_policy: dict[str, str]

    @cached_property
    def hashes_list(self) -> list[str]:
        """``hashes`` as the JSON list stored with records and assessments (one object: keep
        it unchanged)."""
        return list(self.hashes)

    @cached_property
    def services(self) -> frozenset[str]:
        """The ids of the services the set's measures name."""
        return frozenset(self.policy_set.service_ids())


@dataclass(frozen=True)
class LoadedPolicy:
    policy_id: str
    version: str
    sha256: str
    changed: bool


def latest_version_ids() -> Select[int]:
    """The id of the latest stored version of each policy id (the active set)."""
    return select(func.max(PolicyVersion.id)).group_by(PolicyVersion.policy_id)


@dataclass(frozen=True)
class VersionPage:
    """A page of stored policy versions (newest first), the ids in force, and the total."""

    versions: list[PolicyVersion]
    active: frozenset[int]
    total: int


def version_page(session: Session, limit: int, offset: int) -> VersionPage:
    """Stored policy versions, newest first, ``limit`` of them after ``offset``."""
    total = session.execute(select(func.count()).select_from(PolicyVersion)).scalar_one()
    active = frozenset(session.execute(latest_version_ids()).scalars())
    query = select(PolicyVersion).order_by(PolicyVersion.id.desc()).limit(limit).offset(offset)
    return VersionPage(list(session.execute(query).scalars()), active, total)


def active_versions(session: Session) -> list[PolicyVersion]:
    """The latest stored version of each policy id, by policy id."""
    query = select(PolicyVersion).where(PolicyVersion.id.in_(latest_version_ids()))
    return sorted(session.execute(query).scalars(), key=lambda v: v.policy_id)


def _write(directory: Path, texts: Iterable[tuple[str, str]]) -> list[Path]:
    """Write each (policy id, YAML text) as ``<policy id>.yaml`` in ``directory``."""
    paths = []
    for policy_id, text in texts:
        path = directory / f"{policy_id}.yaml"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def _origins(texts: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    models: dict[str, str] = {}
    lists: dict[str, str] = {}
    for text in texts:
        data = yaml.safe_load(text)
        policy_id = str(data["policy"]["id"])
        models |= {str(m["id"]): policy_id for m in data.get("score_models") or []}
        lists |= {str(m["id"]): policy_id for m in data.get("lists") or []}
    return models, lists


def compile_active(versions: Sequence[PolicyVersion]) -> ActivePolicies:
    """Rebuild the policy set from stored texts (not cached: see :func:`active_policies`)."""
    with tempfile.TemporaryDirectory(prefix="socialcredit-policies-") as tmp:
        paths = _write(Path(tmp), ((v.policy_id, v.text) for v in versions))
        policies = load_policies(paths) if paths else _empty()
    models, lists = _origins(v.text for v in versions)
    return ActivePolicies(policies, tuple(v.sha256 for v in versions), models, lists)


# The one cache of compiled policy sets, shared by every open registry of the process: keyed by
# the (policy id, SHA-256) of each active version, so a stored text is compiled once, and a new
# version is seen by the next call. Bounded: the oldest set goes first.
_COMPILED: dict[tuple[tuple[str, str], ...], ActivePolicies] = {}
_COMPILED_MAX = 8


def active_policies(session: Session) -> ActivePolicies:
    """The active policy set, compiled once per distinct set of versions (one small query)."""
    query = select(PolicyVersion.policy_id, PolicyVersion.sha256).where(
        PolicyVersion.id.in_(latest_version_ids())
    )
    key = tuple(sorted((policy_id, sha) for policy_id, sha in session.execute(query)))
    found = _COMPILED.get(key)
    if found is None:
        found = compile_active(active_versions(session))
        while len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = found
    return found


def _empty() -> PolicySet:
    return PolicySet((), {}, {}, {}, {}, {}, {})


def validate_with_active(session: Session, files: Sequence[Path]) -> list[str]:
    """Check ``files`` together with the active policies they do not replace.

    Returns the policy ids of ``files``; raises :class:`PolicyError` with every problem.
    """
    parsed, problems = check_files(files)
    if problems:
        raise PolicyError(f"the policy was refused: {len(problems)} problem(s)", problems)
    ids = [p.model.policy.id for p in parsed]
    kept = [(v.policy_id, v.text) for v in active_versions(session) if v.policy_id not in ids]
    with tempfile.TemporaryDirectory(prefix="socialcredit-policies-") as tmp:
        _, problems = check_files([*files, *_write(Path(tmp), kept)])
    if problems:
        raise PolicyError(
            f"the policy conflicts with the active policies: {len(problems)} problem(s)", problems
        )
    return ids


def store_files(session: Session, paths: Sequence[Path], loaded_by: str) -> list[LoadedPolicy]:
    """Validate and store policy files; a file identical to the active version is unchanged."""
    files = expand_paths(paths)
    if not files:
        raise PolicyError("no policy files were given", [])
    ids = validate_with_active(session, files)
    active = {v.policy_id: v for v in active_versions(session)}
    now = datetime.now(UTC)
    loaded = []
    for policy_id, path in zip(ids, files, strict=True):
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        version = str(yaml.safe_load(raw)["policy"]["version"])
        current = active.get(policy_id)
        changed = current is None or current.sha256 != digest
        if changed:
            session.add(
                PolicyVersion(
                    policy_id=policy_id,
                    version=version,
                    sha256=digest,
                    text=raw.decode("utf-8"),
                    loaded_at=now,
                    loaded_by=loaded_by,
                )
            )
        loaded.append(LoadedPolicy(policy_id, version, digest, changed))
    session.flush()
    return loaded
