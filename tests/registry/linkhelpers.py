"""Link builders and counters for the registry's link tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from socialcredit.registry import Registry
from socialcredit.registry.store.links import LinkEvent, LinkRow
from socialcredit.registry.store.models import Subject

REGULATOR = "Local administration for market regulation"
P3 = "110101199003070011"  # a second person (the next legal representative)


def legal_rep(
    link_id: str,
    organisation: str,
    person: str,
    valid_from: date = date(2020, 1, 1),
    **extra: Any,
) -> dict[str, Any]:
    """A legal representative's link from the market regulator's registration record."""
    return {
        "id": link_id,
        "organisation": organisation,
        "person": person,
        "role": "legal_representative",
        "valid_from": valid_from.isoformat(),
        "source": "registration",
        "authority": "Beijing Chaoyang District Administration for Market Regulation",
        "reference": f"Registration {link_id}",
        **extra,
    }


def link_counts(reg: Registry) -> dict[str, int]:
    with reg.session() as session:
        return {
            "links": session.execute(select(func.count()).select_from(LinkRow)).scalar_one(),
            "events": session.execute(select(func.count()).select_from(LinkEvent)).scalar_one(),
            "subjects": session.execute(select(func.count()).select_from(Subject)).scalar_one(),
        }
