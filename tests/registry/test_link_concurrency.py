"""A company's records and new links for it, submitted at once: record submission locks the
organisations and then the persons linked to them, link submission the organisation and then
the person, so neither waits for the other in a cycle (PostgreSQL runs them at once; SQLite
has one writer at a time)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from socialcredit.registry import Registry
from socialcredit.registry.store.links import LinkRow
from socialcredit.registry.store.models import RecordRow
from socialcredit.registry.writes.linksubmit import submit_link
from socialcredit.registry.writes.submit import Submission, submit_lines
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import (
    COURT,
    assert_stored_equal_engine,
    organisation,
    person,
    spc,
    together,
)
from tests.registry.linkhelpers import REGULATOR, legal_rep

pytestmark = pytest.mark.slow  # writers in parallel

COMPANIES = 12


def _counts(reg: Registry) -> tuple[int, int]:
    with reg.session() as session:
        records = session.execute(select(func.count()).select_from(RecordRow)).scalar_one()
        links = session.execute(select(func.count()).select_from(LinkRow)).scalar_one()
    return records, links


def test_records_and_links_of_the_same_companies_at_once_all_land_once(
    registry: Registry,
) -> None:
    by_court, by_regulator = Submission(COURT, OPERATOR), Submission(REGULATOR, OPERATOR)
    statuses: list[str] = []
    for rnd in range(4):
        base = rnd * COMPANIES  # fresh companies and persons each round
        # one chunk holding each company and the person about to be linked to it
        lines = [
            (n, spc(f"r{rnd}-{n}", subject=(organisation if n % 2 else person)(base + n // 2)))
            for n in range(2 * COMPANIES)
        ]

        def links(half: int, base: int = base) -> None:
            for n in range(base + half, base + COMPANIES, 2):
                found = legal_rep(f"L{n}", organisation(n), person(n))
                statuses.append(submit_link(registry, found, by_regulator))

        def records(lines: list[tuple[int, dict[str, object]]] = lines) -> None:
            report = submit_lines(registry, lines, by_court)
            statuses.extend(o.status for o in report.outcomes)

        failed = together(records, lambda: links(0), lambda: links(1))
        assert failed == []
    assert statuses.count("registered") == len(statuses) == 4 * 3 * COMPANIES
    assert _counts(registry) == (4 * 2 * COMPANIES, 4 * COMPANIES)
    assert_stored_equal_engine(registry)
