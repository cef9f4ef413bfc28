"""Helpers for the API tests: audit entries and row counts read straight from the registry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from socialcredit.registry import Registry
from socialcredit.registry.audit import subject_ref
from socialcredit.registry.store.models import AuditEntry, RegistryState
from tests.registry.helpers import counts

__all__ = ["audit", "counts", "problem"]


def audit(reg: Registry, subject: str | None = None) -> list[AuditEntry]:
    """Audit entries (about ``subject`` if given), oldest first."""
    with reg.session() as session:
        query = select(AuditEntry).order_by(AuditEntry.seq)
        if subject is not None:
            key = session.execute(select(RegistryState.audit_key)).scalar_one()
            query = query.where(AuditEntry.subject_ref == subject_ref(key, subject))
        return list(session.execute(query).scalars())


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert ``response`` is the problem ``code`` with ``status``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code, body
    assert body["type"].endswith(code) and body["title"] and body["detail"]
    return body
