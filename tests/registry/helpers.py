"""Record builders, database counters and the stored-equals-engine check for the registry tests."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from socialcredit.engine import assess, next_change_after
from socialcredit.identity import example_credit_code, example_resident_id
from socialcredit.registry import Registry
from socialcredit.registry.audit import verify
from socialcredit.registry.store.links import LinkRow
from socialcredit.registry.store.models import (
    AssessmentDecision,
    AssessmentRow,
    AuditEntry,
    Notice,
    RecordEvent,
    RecordRow,
    Subject,
)
from socialcredit.registry.writes.assessrows import full_body, to_record
from socialcredit.registry.writes.linkrows import to_link

P1 = "11010519491231002X"
P2 = "440524188001010014"
O1 = "91350100M000100Y43"
COURT = "The enforcing people's court"


person = example_resident_id
organisation = example_credit_code


def spc(
    record_id: str, subject: str = P1, decided: date = date(2024, 12, 1), **extra: Any
) -> dict[str, Any]:
    """A judgment-defaulter record (negative; the court is the agency)."""
    return {
        "id": record_id,
        "subject": subject,
        "item": "SPC-REFUSE",
        "authority": "Beijing Chaoyang District People's Court",
        "reference": f"(2024) Jing 0105 Zhi {record_id}",
        "decided_on": decided.isoformat(),
        "notified_on": (decided + timedelta(days=1)).isoformat(),
        **extra,
    }


def counts(reg: Registry) -> dict[str, int]:
    with reg.session() as session:
        return {
            table.__tablename__: session.execute(
                select(func.count()).select_from(table)
            ).scalar_one()
            for table in (RecordRow, RecordEvent, AssessmentRow, Notice, AuditEntry)
        }


def assert_stored_equal_engine(reg: Registry) -> None:
    """Every stored assessment (body, next change, decision rows) equals a fresh engine
    assessment of its subject at the registry's date, and the audit chain verifies."""
    with reg.session() as session:
        active = reg.policies(session)
        today = reg.state(session).as_of
        kinds = dict(session.execute(select(Subject.id, Subject.kind)).all())
        rows = list(session.execute(select(RecordRow)).scalars())
        links = [to_link(r) for r in session.execute(select(LinkRow)).scalars()]
        stored = {a.subject_id: a for a in session.execute(select(AssessmentRow)).scalars()}
        decisions = {
            (d.subject_id, d.service): d.decision
            for d in session.execute(select(AssessmentDecision)).scalars()
        }
        assert verify(session).ok
    assert set(stored) <= set(kinds)
    every = [to_record(r, kinds[r.subject_id]) for r in rows]
    for sid, _kind in kinds.items():
        # a person's assessment reads its links and the linked organisations' records
        mine_links = [link for link in links if link.person == sid]
        orgs = {link.organisation for link in mine_links}
        records = [r for r in every if r.subject == sid or r.subject in orgs]
        if not records and not mine_links:  # an organisation known only from a link
            assert sid not in stored, sid
            continue
        fresh = assess(active.policy_set, records, sid, today, links=mine_links).to_dict()
        mine = {service: d for (s, service), d in decisions.items() if s == sid}
        kept = stored[sid].body
        # stored once: a decision other than allow is the decision row, not part of the body
        assert all(kept["decisions"][service] is None for service in mine), sid
        body = full_body(kept, mine)
        assert body.pop("as_of") <= today.isoformat()
        fresh.pop("as_of")
        assert body == fresh, sid
        stored_next = stored[sid].next_change_on
        assert stored_next is None or stored_next > today
        found = next_change_after(active.policy_set, records, sid, today, links=mine_links)
        assert found == stored_next
        for service, decision in fresh["decisions"].items():
            expected = None if decision["effect"] == "allow" else decision
            assert decisions.get((sid, service)) == expected, (sid, service)


def together(*jobs: Any) -> list[BaseException]:
    """Run the jobs in threads released at once; the exceptions they raised."""
    start, failed = threading.Barrier(len(jobs)), list[BaseException]()

    def run(job: Any) -> None:
        start.wait()
        try:
            job()
        except BaseException as exc:  # reported to the test
            failed.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failed
