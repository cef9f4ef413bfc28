"""Which authority's reviewers decide a due-process case (principle 9: the deciding authority).

An objection goes to the authority that decided the record: the catalogue authority its agency
submits for (``records.agency``). A credit repair application goes to the authority that
listed the subject: the one authority of the items that enter the list (the enforcing court
for the court's defaulter list), else the list's own ``authority``. Each
reviewer principal belongs to one authority and sees and decides only its cases; a reviewer of
another authority is refused, with nothing changed, and the refusal is audited. A case with no
authority (filed before routing) may be decided by any reviewer.
"""

from __future__ import annotations

from typing import Any

from socialcredit.errors import AccessDeniedError
from socialcredit.policy.models import ListDef
from socialcredit.policy.policyset import PolicySet
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry


def list_authority(policies: PolicySet, lst: ListDef) -> str | None:
    """The authority that decides repair on ``lst``: that of all its entry items, else the
    list's own."""
    found = {policies.items[entry.item].authority for entry in lst.entry.items}
    return next(iter(found)) if len(found) == 1 else lst.authority


def ensure_routed(
    reg: Registry, model: type[Any], case_id: int, reviewer: str | None, actor: Actor
) -> None:
    """Refuse (and audit the refusal) when ``reviewer``'s authority is not the case's.

    ``reviewer`` None: the registry's operator, acting for every authority. A case's authority
    never changes, so it is read before the deciding transaction."""
    if reviewer is None:
        return
    what = model.__tablename__.rstrip("s").replace("_", " ")
    with reg.session() as session:
        row = session.get(model, case_id)
        if row is None or row.authority is None or row.authority == reviewer:
            return  # an absent case is refused by the decision itself (not found)
        subject, authority = row.subject_id, row.authority
    details = {"case": what, "id": case_id, "authority": authority, "reviewer": reviewer}
    with reg.session() as session, session.begin():
        append(session, actor, [AuditEvent("refuse.review.authority", subject, details)])
    raise AccessDeniedError(
        f"{what} {case_id} is decided by {authority!r}; you review for {reviewer!r}", details
    )
