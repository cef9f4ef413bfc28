"""Feeds of decision changes: the log written with every assessment, the paged feed with its
signed cursor, and the airline that follows it (both databases)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from socialcredit.errors import FeedCursorError, FeedCursorExpiredError, FeedCursorForeignError
from socialcredit.registry import Registry
from socialcredit.registry.reads.feed import lock_head, read_feed, sequence, sequence_all
from socialcredit.registry.reads.ownfile import accesses_page
from socialcredit.registry.store.feeds import FeedChange, FeedDelivery
from socialcredit.registry.store.postgres import PostgresTuning
from socialcredit.registry.workflows.objections import file_objection
from socialcredit.registry.workflows.webhookdelivery import DeliverOptions, queue
from socialcredit.registry.workflows.webhooks import add_webhook
from socialcredit.registry.writes.lifecycle import StatusChange, change_status
from socialcredit.registry.writes.retention import retention
from socialcredit.registry.writes.submit import Submission, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR, open_registry, tuned
from tests.registry.feeds_helpers import Kept, apply, checked, service_provider
from tests.registry.helpers import COURT, P1, P2, person, spc, together

COURT_SUB = Submission(COURT, OPERATOR)
CHILD = "110105201406150038"  # ten years old on 2024-12-01: never restricted (principle 13)
FLIGHTS = "flight-booking"
P3 = person(7)


def _follow(reg: Registry, provider: Any, actor: Any, kept: Kept, cursor: str, limit: int) -> str:
    """Read pages until the feed has no more; return the last cursor."""
    while True:
        page = read_feed(reg, provider, actor, cursor, limit)
        positions = [c["position"] for c in page.changes]
        assert positions == sorted(positions)
        assert all(c["service"] == FLIGHTS for c in page.changes)
        apply(kept, page.changes)
        cursor = page.next_cursor
        if not page.more:
            return cursor


def test_an_airline_follows_listing_suspension_and_exit(registry: Registry) -> None:
    airline, actor = service_provider(registry, "airline", FLIGHTS)
    kept: Kept = {}
    cursor = _follow(registry, airline, actor, kept, "", 2)
    assert kept == {}
    for n, subject in enumerate((P1, P2, P3, CHILD)):
        submit_record(registry, spc(f"r-{n}", subject, date(2024, 10, 1)), COURT_SUB)
    cursor = _follow(registry, airline, actor, kept, cursor, 2)
    assert sorted(s for s, _ in kept) == sorted([P1, P2, P3])  # the child is never in a feed
    assert {effect for effect, _ in kept.values()} == {"deny"}

    file_objection(registry, P1, "r1", "the debt was paid before the judgment", OPERATOR)
    tick(registry, date(2025, 1, 16), OPERATOR)  # undecided past its deadline: suspended
    change_status(registry, StatusChange("resolve", COURT, "r-1", date(2025, 1, 16)), OPERATOR)
    cursor = _follow(registry, airline, actor, kept, cursor, 2)
    assert sorted(s for s, _ in kept) == [P3]

    subjects, services = [P1, P2, P3, CHILD], [FLIGHTS]
    assert kept == checked(registry, subjects, services)
    again = read_feed(registry, airline, actor, cursor, 10)
    assert again.changes == [] and not again.more


def test_changes_are_dated_by_the_registry_and_hold_no_more_than_a_check(
    registry: Registry,
) -> None:
    submit_record(registry, spc("r-1", P1, date(2024, 10, 1)), COURT_SUB)
    tick(registry, date(2025, 2, 1), OPERATOR)
    change_status(registry, StatusChange("resolve", COURT, "r-1", date(2025, 1, 20)), OPERATOR)
    airline, actor = service_provider(registry, "airline", FLIGHTS)
    page = read_feed(registry, airline, actor, None, 10)
    assert [(c["change"], c["effect"], c["on"]) for c in page.changes] == [
        ("enter", "deny", "2025-01-01"),
        ("exit", "allow", "2025-02-01"),
    ]
    (reason,) = page.changes[0]["reasons"]
    assert set(reason) == {"list", "memorandum", "measure", "effect", "since", "until"}
    assert page.changes[0]["until"] == reason["until"]


def test_every_change_handed_out_is_in_the_subjects_access_listing(registry: Registry) -> None:
    submit_record(registry, spc("r-1", P1, date(2024, 10, 1)), COURT_SUB)
    airline, actor = service_provider(registry, "airline", FLIGHTS, "rail-high-speed")
    page = read_feed(registry, airline, actor, None, 10)
    assert len(page.changes) == 2
    listing = accesses_page(registry, P1, 50, 0, OPERATOR).rows
    reads = [e for e in listing if e.action == "read.subject.feed"]
    assert sorted(e.details["service"] for e in reads) == [FLIGHTS, "rail-high-speed"]
    assert {e.actor for e in reads} == {actor.name}
    assert accesses_page(registry, P2, 50, 0, OPERATOR).rows == []


def test_positions_are_given_once_committed_in_order(registry: Registry) -> None:
    submit_record(registry, spc("r-1", P1, date(2024, 10, 1)), COURT_SUB)
    with registry.session() as session:
        found = session.execute(select(FeedChange.position)).scalars().all()
    assert found and set(found) == {None}  # not numbered until a reader numbers them
    airline, actor = service_provider(registry, "airline", FLIGHTS)
    first = read_feed(registry, airline, actor, None, 10)
    submit_record(registry, spc("r-2", P2, date(2024, 10, 1)), COURT_SUB)
    second = read_feed(registry, airline, actor, first.next_cursor, 10)
    assert [c["subject"] for c in second.changes] == [P2]
    assert second.changes[0]["position"] > first.position


@pytest.fixture
def cursor_parts(registry: Registry) -> tuple[Any, Any, str]:
    submit_record(registry, spc("r-1", P1, date(2024, 10, 1)), COURT_SUB)
    airline, actor = service_provider(registry, "airline", FLIGHTS)
    page = read_feed(registry, airline, actor, None, 10)
    return airline, actor, page.next_cursor


def test_a_cursor_of_another_provider_is_refused(
    registry: Registry, cursor_parts: tuple[Any, Any, str]
) -> None:
    _, _, cursor = cursor_parts
    rail, rail_actor = service_provider(registry, "rail", FLIGHTS)
    with pytest.raises(FeedCursorForeignError, match="another service provider"):
        read_feed(registry, rail, rail_actor, cursor, 10)


@pytest.mark.parametrize("tamper", ["flip", "garbage", "truncate"])
def test_a_tampered_cursor_is_refused(
    registry: Registry, cursor_parts: tuple[Any, Any, str], tamper: str
) -> None:
    airline, actor, cursor = cursor_parts
    payload, tag = cursor.split(".")
    bad = {
        "flip": f"{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{tag}",
        "garbage": "not-a-cursor",
        "truncate": f"{payload}.{tag[:10]}",
    }[tamper]
    with pytest.raises(FeedCursorError, match="not valid"):
        read_feed(registry, airline, actor, bad, 10)


def test_an_expired_cursor_is_refused(
    registry: Registry, cursor_parts: tuple[Any, Any, str]
) -> None:
    airline, actor, cursor = cursor_parts
    later = datetime.now(UTC) + timedelta(days=31)
    with pytest.raises(FeedCursorExpiredError, match="expired"):
        read_feed(registry, airline, actor, cursor, 10, now=later)


def test_retention_erases_a_subjects_feed_changes(registry: Registry) -> None:
    submit_record(registry, spc("old", P1, date(2021, 1, 4)), COURT_SUB)  # term ended 2024
    submit_record(registry, spc("new", P2, date(2024, 10, 1)), COURT_SUB)
    airline, actor = service_provider(registry, "airline", FLIGHTS)
    assert {c["subject"] for c in read_feed(registry, airline, actor, None, 10).changes} == {P2}
    with registry.session() as session:
        before = session.execute(select(FeedChange.subject_id)).scalars().all()
    assert set(before) == {P2}  # P1's listing ended before the registry's first day
    submit_record(registry, spc("p1-late", P1, date(2024, 10, 1)), COURT_SUB)
    change_status(registry, StatusChange("revoke", COURT, "p1-late", date(2025, 1, 1)), OPERATOR)
    with registry.session() as session:
        assert P1 in session.execute(select(FeedChange.subject_id)).scalars().all()
    add_webhook(registry, airline.principal, "http://127.0.0.1:9/hook", OPERATOR)
    assert queue(registry, DeliverOptions()) == 1
    tick(registry, date(2029, 12, 1), OPERATOR)
    assert retention(registry, None, OPERATOR).subjects == 2
    with registry.session() as session:
        left = session.execute(select(FeedChange.subject_id)).scalars().all()
        (delivery,) = session.execute(select(FeedDelivery)).scalars().all()
    assert left == []
    assert (delivery.count, orjson.loads(delivery.body)["changes"]) == (0, [])


def test_changes_are_logged_by_the_background_writer_too(db_url: str) -> None:
    """PostgreSQL from one row on sends every table by COPY in the background (the feed's
    rows with them); SQLite writes at once."""
    with open_registry(db_url, tuned(db_url, PostgresTuning(copy_min=1))) as reg:
        for n, subject in enumerate((P1, P2, P3)):
            submit_record(reg, spc(f"r-{n}", subject, date(2024, 10, 1)), COURT_SUB)
        change_status(reg, StatusChange("resolve", COURT, "r-0", date(2025, 1, 1)), OPERATOR)
        airline, actor = service_provider(reg, "airline", FLIGHTS)
        kept: Kept = {}
        _follow(reg, airline, actor, kept, "", 100)
        assert kept == checked(reg, [P1, P2, P3], [FLIGHTS])
        assert sorted(s for s, _ in kept) == sorted([P2, P3])


def test_a_reader_among_concurrent_writers_misses_no_change(registry: Registry) -> None:
    """Writers commit in any order while a provider reads page after page: once every write
    is done, what it read is every change, each once, in increasing positions."""
    airline, actor = service_provider(registry, "airline", FLIGHTS)
    read: list[dict[str, Any]] = []
    cursor = [""]

    def reader() -> None:
        for _ in range(12):
            page = read_feed(registry, airline, actor, cursor[0], 3)
            read.extend(page.changes)
            cursor[0] = page.next_cursor

    def writer(n: int) -> Any:
        def write() -> None:
            for k in range(3):
                subject = person(100 + 3 * n + k)
                submit_record(registry, spc(f"w{n}-{k}", subject, date(2024, 10, 1)), COURT_SUB)

        return write

    assert together(reader, *(writer(n) for n in range(4))) == []
    while True:
        page = read_feed(registry, airline, actor, cursor[0], 100)
        read.extend(page.changes)
        cursor[0] = page.next_cursor
        if not page.more:
            break
    positions = [c["position"] for c in read]
    assert positions == sorted(set(positions))
    assert sorted(c["subject"] for c in read) == sorted(person(100 + i) for i in range(12))


def test_numbering_is_bounded_per_statement_and_a_page_waits_for_it(registry: Registry) -> None:
    for n in range(3):
        submit_record(registry, spc(f"r-{n}", person(20 + n), date(2024, 10, 1)), COURT_SUB)
    with registry.session() as session, session.begin():
        conn = session.connection()
        lock_head(conn)
        first = sequence(conn, most=4)
        assert (first.top, first.left) == (4, True)  # 18 changes: six services, three subjects
        assert sequence_all(conn) == 18
    airline, actor = service_provider(registry, "airline", FLIGHTS)
    page = read_feed(registry, airline, actor, None, 10)
    assert sorted(c["subject"] for c in page.changes) == sorted(person(20 + n) for n in range(3))
