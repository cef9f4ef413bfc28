"""The SQL building blocks against the pure layers: identifiers and calendar months."""

from __future__ import annotations

import random
from datetime import date, timedelta

import duckdb
import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.batch.dialect import DUCKDB, WHITESPACE
from socialcredit.batch.identitysql import subject_ids_sql
from socialcredit.errors import IdentifierError
from socialcredit.identity import parse_subject
from socialcredit.policy.durations import add_months
from socialcredit.sim.identities import BirthRange, credit_codes, resident_ids

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXYZIOSVx \t\u3000\xa0"  # Python's whitespace, not only " "


def _expected(text: str) -> tuple[str | None, str | None, bool]:
    try:
        sid = parse_subject(text)
    except IdentifierError:
        return None, None, False
    return sid.value, str(sid.kind), bool(sid.warnings)


def _parsed(texts: list[str]) -> dict[str, tuple[str | None, str | None, bool]]:
    con = duckdb.connect()
    con.register("t", pa.table({"subject": pa.array(texts, pa.string())}))
    rows = con.execute(subject_ids_sql(DUCKDB, "t")).fetchall()
    return {raw: (subject, kind, warning is not None) for raw, subject, kind, warning in rows}


def _corpus(seed: int) -> list[str]:
    rng = random.Random(seed)
    index = np.arange(300, dtype=np.int64)
    persons, _, _ = resident_ids(index, BirthRange(date(1900, 1, 1), date(2010, 12, 31)), seed)
    orgs = credit_codes(index, index % 6, index % 150, seed)
    texts = [*persons, *orgs, "110105491231002", "11010519491231002x", " 1101 0519491231002X "]
    for valid in persons + orgs:  # one character changed: most become invalid or look-alikes
        i = rng.randrange(18)
        texts.append(valid[:i] + rng.choice(ALPHABET) + valid[i + 1 :])
    texts += [f"{p[:6]}{rng.choice(WHITESPACE)}{p[6:]}\u3000" for p in persons[:40] + orgs[:40]]
    texts += ["".join(rng.choice("0123456789X") for _ in range(18)) for _ in range(300)]
    texts += ["".join(rng.choice("0123456789") for _ in range(15)) for _ in range(300)]
    return texts


def test_identifier_sql_equals_the_identity_layer() -> None:
    texts = _corpus(7)
    parsed = _parsed(texts)
    for text in texts:
        assert parsed[text] == _expected(text), text


@settings(max_examples=15, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, min_size=14, max_size=19), min_size=1, max_size=50))
def test_identifier_sql_on_arbitrary_text(texts: list[str]) -> None:
    parsed = _parsed(texts)
    for text in texts:
        assert parsed[text] == _expected(text), text


def test_duckdb_months_clamp_like_add_months() -> None:
    starts = [date(2023, 1, 1) + timedelta(days=n) for n in range(3 * 366)]
    pairs = [(day, months) for day in starts for months in (1, 2, 6, 11, 12, 13, 24, 60)]
    con = duckdb.connect()
    days = pa.array([d for d, _ in pairs], pa.date32())
    con.register(
        "d", pa.table({"day": days, "months": pa.array([m for _, m in pairs], pa.int32())})
    )
    sql = f"SELECT day, months, {DUCKDB.add_months('day', 'months')} FROM d"
    for day, months, shifted in con.execute(sql).fetchall():
        assert shifted == add_months(day, months), (day, months)
