"""``policy load`` as a registry operation: store versions, audit, reassess everyone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.policystore import LoadedPolicy, store_files
from socialcredit.registry.writes.tick import reassess_all


def load_policy_files(
    reg: Registry,
    paths: Sequence[Path],
    actor: Actor,
    progress: Callable[[int], None] | None = None,
) -> list[LoadedPolicy]:
    """Validate and store policy files; if any changed, reassess every subject under them."""
    with reg.session() as session, session.begin():
        reg.state(session)
        loaded = store_files(session, paths, actor.name)
        changed = [p for p in loaded if p.changed]
        audit = [
            AuditEvent("write.policy.load", None, {"policy": p.policy_id, "sha256": p.sha256})
            for p in changed
        ]
        append(session, actor, audit)
    if changed:
        reassess_all(reg, actor, progress)
    return loaded
