"""Bulk writes: rows sent with ``COPY`` (PostgreSQL) are stored exactly as an ``INSERT`` stores
them, awkward text included, and the registry's invariants hold on either path."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, select

from socialcredit.registry import Registry, bulk
from socialcredit.registry.lifecycle import StatusChange, change_status
from socialcredit.registry.models import RecordRow
from socialcredit.registry.submit import Submission, submit_lines
from socialcredit.registry.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, assert_stored_equal_engine, person, spc

# Text that COPY's text format must escape: tab, newline, carriage return, backslash, "\N".
AWKWARD = 'tab\there, line\nbreak, cr\r, back\\slash, \\N, "quoted", 法院 ✓'


def _records(count: int) -> list[dict[str, Any]]:
    found = []
    for n in range(count):
        raw = spc(f"b-{n}\t{n}", subject=person(n % (count // 2)), reference=f"{AWKWARD} {n}")
        found.append(raw | {"authority": AWKWARD, "amount": "12.50"})
    return found


@pytest.mark.parametrize("copy_min", [1, 10**9], ids=["copy", "insert"])
def test_bulk_paths_store_the_same(
    registry: Registry, monkeypatch: pytest.MonkeyPatch, copy_min: int
) -> None:
    monkeypatch.setattr(bulk, "COPY_MIN", copy_min)
    raws = _records(60)
    report = submit_lines(registry, list(enumerate(raws, 1)), Submission(COURT, OPERATOR))
    assert report.count("registered") == 60, report.refused
    with registry.session() as session:
        rows = {r.source_id: r for r in session.execute(select(RecordRow)).scalars()}
    for raw in raws:
        row = rows[raw["id"]]
        assert row.reference == raw["reference"]
        assert row.authority == AWKWARD
        assert row.payload["reference"] == raw["reference"]
        assert row.payload["id"] == raw["id"]
    assert sorted(r.id for r in rows.values()) == [r.id for r in rows.values()]  # line order
    assert_stored_equal_engine(registry)
    again = submit_lines(registry, list(enumerate(raws, 1)), Submission(COURT, OPERATOR))
    assert again.count("unchanged") == 60
    change = StatusChange("dispute", COURT, raws[0]["id"], date(2025, 1, 2))
    change_status(registry, change, OPERATOR)
    tick(registry, date(2025, 6, 1), OPERATOR)
    assert_stored_equal_engine(registry)


def test_key_lookups_is_scoped_to_its_block(registry: Registry) -> None:
    def seqscan(conn: Connection) -> str:
        return str(conn.exec_driver_sql("SHOW enable_seqscan").scalar_one())

    postgres = registry.engine.dialect.name == "postgresql"
    with registry.engine.connect() as conn, conn.begin():
        with bulk.key_lookups(conn, 1000):
            with bulk.key_lookups(conn, 1000):  # nested: one block
                pass
            if postgres:
                assert seqscan(conn) == "off"
        with bulk.key_lookups(conn, 1):  # a few keys: nothing set
            if postgres:
                assert seqscan(conn) == "on"
        if postgres:
            assert seqscan(conn) == "on"
    with registry.engine.connect() as conn:
        with pytest.raises(ZeroDivisionError), conn.begin(), bulk.key_lookups(conn, 1000):
            _ = 1 / 0
        with conn.begin():
            if postgres:
                assert seqscan(conn) == "on"
            with bulk.key_lookups(conn, 1000):
                pass
