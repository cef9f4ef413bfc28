"""Anonymous reads of a public list do not grow the audit log without bound: each member's
first showing of the registry day is one entry in its access listing, later ones are counted."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from socialcredit.registry import Actor, Registry
from socialcredit.registry.reads.disclosure import list_members
from socialcredit.registry.reads.ownfile import accesses_page
from socialcredit.registry.store.models import AuditEntry, PublicListRead
from socialcredit.registry.workflows.submissions import name_organisation
from socialcredit.registry.writes.submit import Submission, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, organisation, spc

PUBLIC = Actor("anonymous", "public", "public disclosure")
LIST = "dishonest-judgment-defaulters"


def _entries(reg: Registry) -> int:
    with reg.session() as session:
        query = select(func.count()).where(AuditEntry.action == "read.public.list")
        return int(session.execute(query).scalar_one())


def test_a_day_of_reads_is_one_entry_per_member(registry: Registry) -> None:
    company = organisation(7)
    record = spc("pub-1", subject=company, decided=date(2024, 10, 1))
    submit_record(registry, record, Submission(COURT, OPERATOR))
    for _ in range(5):
        assert list_members(registry, LIST, 50, 0, PUBLIC).total == 1
    assert _entries(registry) == 1
    with registry.session() as session:
        assert session.execute(select(PublicListRead.reads)).scalar_one() == 5
    tick(registry, date(2025, 1, 2), OPERATOR)
    list_members(registry, LIST, 50, 0, PUBLIC)
    assert _entries(registry) == 2  # a new day, a new entry
    listing = accesses_page(registry, company, 50, 0, OPERATOR).rows
    shown = [e.details for e in listing if e.action == "read.public.list"]
    assert [d["day"] for d in shown] == ["2025-01-01", "2025-01-02"]


def test_a_rename_is_audited_with_the_old_and_the_new_name(registry: Registry) -> None:
    company = organisation(8)
    name_organisation(registry, company, "Old Name Trading Co.", OPERATOR)
    name_organisation(registry, company, "New Name Trading Co.", Actor("other agency", "agency"))
    with registry.session() as session:
        query = select(AuditEntry).where(AuditEntry.action == "write.organisation.name")
        rows = session.execute(query.order_by(AuditEntry.seq)).scalars()
        found = [(e.actor, e.details) for e in rows]
    assert [d for _, d in found] == [
        {"old": None, "new": "Old Name Trading Co."},
        {"old": "Old Name Trading Co.", "new": "New Name Trading Co."},
    ]
    assert found[1][0] == "other agency"
