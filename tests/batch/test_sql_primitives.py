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
from socialcredit.identity import IdentifierKind, parse_subject
from socialcredit.policy.durations import add_months
from socialcredit.sim.identities import BirthRange, credit_codes, resident_ids

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXYZIOSVx \t\u3000\xa0"  # Python's whitespace, not only " "


KINDS = [None, *(kind.value for kind in IdentifierKind), " resident-identity-number ", "bogus"]


def _expected(text: str, kind: str | None = None) -> tuple[str | None, str | None, bool]:
    try:
        sid = parse_subject(text, kind.strip() or None if kind is not None else None)
    except IdentifierError:
        return None, None, False
    return sid.value, str(sid.kind), bool(sid.warnings)


def _parsed(
    texts: list[str], kinds: list[str | None] | None = None
) -> dict[tuple[str, str | None], tuple[str | None, str | None, bool]]:
    con = duckdb.connect()
    declared = kinds if kinds is not None else [None] * len(texts)
    table = {
        "subject": pa.array(texts, pa.string()),
        "identifier_kind": pa.array(declared, pa.string()),
    }
    con.register("t", pa.table(table))
    rows = con.execute(subject_ids_sql(DUCKDB, "t")).fetchall()
    return {
        (raw, kraw): (subject, kind, warning is not None)
        for raw, kraw, subject, kind, warning in rows
    }


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
    texts += [
        "810000199001010015",
        "820000200501010012",
        "830000199912310011",
        "911840199001010012",
        "USA110801010010",
        "usa:E12345678",
        "CHN:E1234567",
        "XYZ:123",
        "60003734-1",
        "600037341",
        "60003734X",
        "911522010783710635",
        "121200004013590816",
    ]
    texts += [
        f"9{rng.choice(['11', '31', '44'])}{rng.choice(['840', '276', '999'])}" + p[6:]
        for p in persons[:40]
    ]
    texts += [f"{rng.choice(['810000', '820000', '830000'])}" + p[6:] for p in persons[:40]]
    return texts


def test_identifier_sql_equals_the_identity_layer() -> None:
    texts = _corpus(7)
    parsed = _parsed(texts)
    for text in texts:
        assert parsed[(text, None)] == _expected(text), text


def test_identifier_sql_with_declared_kinds_equals_the_identity_layer() -> None:
    texts = _corpus(11)
    rng = random.Random(3)
    kinds = [rng.choice(KINDS) for _ in texts]
    parsed = _parsed(texts, kinds)
    for text, kind in zip(texts, kinds, strict=True):
        assert parsed[(text, kind)] == _expected(text, kind), (text, kind)


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=ALPHABET + ":-", min_size=8, max_size=19), st.sampled_from(KINDS)
        ),
        min_size=1,
        max_size=50,
    )
)
def test_identifier_sql_on_arbitrary_text(pairs: list[tuple[str, str | None]]) -> None:
    parsed = _parsed([t for t, _ in pairs], [k for _, k in pairs])
    for text, kind in pairs:
        assert parsed[(text, kind)] == _expected(text, kind), (text, kind)


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
