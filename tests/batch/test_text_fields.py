"""Text fields are read as the engine reads them: ``str.strip()`` with Python's whitespace
(tabs, newlines, no-break and ideographic spaces, not only the space), empty as missing, and
identifiers without any whitespace inside. The SQL spellings first, then whole rows against
``engine.validate_record``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.batch.dialect import DUCKDB, WHITESPACE
from socialcredit.batch.options import BatchOptions
from socialcredit.batch.run import assess_dataset
from socialcredit.engine import validate_record
from socialcredit.policy import PolicySet
from tests.batch.badrows import GOOD, write_rows
from tests.strategies import PERSON

PADDING = ["\t", "\n", "\x0b", "\x1f", "\x85", "\xa0", "\u2003", "\u3000", " "]
TEXT = st.text(alphabet=st.sampled_from([*WHITESPACE, "a", "~", "!", "\x7f", "é", "中", "\u4000"]))


def test_whitespace_is_pythons() -> None:
    assert set(WHITESPACE) == {c for c in map(chr, range(0x110000)) if c.isspace()}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.none(), TEXT), min_size=1, max_size=40))
def test_sql_text_functions_equal_python(texts: list[str | None]) -> None:
    con = duckdb.connect()
    con.register("t", pa.table({"x": pa.array(texts, pa.string())}))
    sql = (
        f"SELECT x, {DUCKDB.trimmed('x')}, {DUCKDB.blank('x')}, "
        f"{DUCKDB.without_whitespace('x')} FROM t"
    )
    for text, trimmed, blank, compact in con.execute(sql).fetchall():
        if text is None:
            assert (trimmed, blank, compact) == (None, True, None)
        else:
            assert trimmed == (text.strip() or None), repr(text)
            assert blank == (not text.strip()), repr(text)
            assert compact == "".join(text.split()), repr(text)


def _padded(index: int) -> dict[str, Any]:
    """A row whose text fields are padded with a different whitespace character each."""

    def pad(text: str, n: int) -> str:
        return PADDING[(index + n) % len(PADDING)] + text + PADDING[(index + 2 * n) % 9]

    return {
        **GOOD,
        "id": pad(f"r{index}", 1),
        "subject": pad(PERSON[:6] + PADDING[index % 9] + PERSON[6:], 2),
        "item": pad(str(GOOD["item"]), 3),
        "authority": pad("Court", 4) if index % 3 else PADDING[index % 9],
        "reference": pad("REF", 5) if index % 4 else None,
        "resolved_on": date(2025, 2, 1),
        "dispute_outcome": None,
    }


def test_padded_rows_are_read_as_the_engine_reads_them(
    lab_policy: PolicySet, workdir: Path
) -> None:
    rows = [_padded(i) for i in range(24)]
    write_rows(rows, workdir / "in" / "part-0.parquet")
    options = BatchOptions(workdir / "in", workdir / "out", date(2025, 6, 1), skip_invalid=True)
    summary = assess_dataset(lab_policy, options)
    checked = [validate_record(row, lab_policy) for row in rows]
    kept = sorted((c.record.id, c.record.item) for c in checked if c.record is not None)
    assert summary.rejected == len(rows) - len(kept) > 0
    written = pq.read_table(workdir / "out" / "records").to_pylist()
    assert sorted((r["record"], r["item"]) for r in written) == kept
    assert {r["subject"] for r in written} == {PERSON}
    quarantined = pq.read_table(workdir / "out" / "quarantine").to_pylist()
    refused = {row["id"] for row, c in zip(rows, checked, strict=True) if c.record is None}
    assert {r["id"] for r in quarantined} == refused
