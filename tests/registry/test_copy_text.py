"""The registry's own COPY text (``store.copytext.copy_text``) reads back as the values it was
given: text with every character PostgreSQL's COPY treats specially, JSON, dates, integers, booleans
and nulls (PostgreSQL only; the format is PostgreSQL's)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, Boolean, Column, Date, Integer, MetaData, String, Table
from sqlalchemy.engine import make_url

from socialcredit.registry.store.copytext import copy_rows
from tests.registry.conftest import database

_TABLE = Table(
    "copy_probe",
    MetaData(),
    Column("n", Integer),
    Column("label", String),
    Column("details", JSON),
    Column("day", Date),
    Column("flag", Boolean),
)
# COPY's special characters often, any other character (but NUL and lone surrogates) too
_SPECIAL = st.sampled_from([*"\t\n\r\\\b\f\v.N ", "\u2028", "法"])
_TEXT = st.text(_SPECIAL | st.characters(codec="utf-8", exclude_characters="\x00"))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)
_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "n": st.none() | st.integers(-(2**31), 2**31 - 1),
            "label": st.none() | _TEXT,
            "details": st.none() | _JSON,
            "day": st.none() | st.dates(date(1800, 1, 1), date(2100, 12, 31)),
            "flag": st.none() | st.booleans(),
        }
    ),
    min_size=1,
    max_size=5,
)


@pytest.fixture
def raw(tmp_path: Path) -> Iterator[psycopg.Connection[Any]]:
    with database("postgresql", tmp_path) as url:
        parsed = make_url(url).set(drivername="postgresql")
        dsn = parsed.render_as_string(hide_password=False).split("?")[0]
        schema = str(parsed.query["options"]).split("=")[-1]
        with psycopg.connect(dsn, options=f"-csearch_path={schema}") as conn:
            conn.execute(
                "CREATE TABLE copy_probe (n int, label text, details json, day date, flag bool)"
            )
            conn.commit()
            yield conn


_EVERY_SPECIAL = {
    "n": -1,
    "label": "tab\there, line\nbreak, cr\r, back\\slash, \\N, \\., \b\f\v \u2028 法院",
    "details": {"k\t\\": ["\n", "\\N", None, True, 7]},
    "day": date(1800, 1, 1),
    "flag": False,
}


@example(rows=[_EVERY_SPECIAL, dict.fromkeys(_EVERY_SPECIAL)])
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_ROWS)
def test_copy_text_reads_back_as_given(
    raw: psycopg.Connection[Any], rows: list[dict[str, Any]]
) -> None:
    copy_rows(raw, _TABLE, rows)
    found = raw.execute("SELECT n, label, details, day, flag FROM copy_probe").fetchall()
    raw.rollback()
    # in any order: a heap with free space left by earlier examples reads back in page order
    keys = _TABLE.c.keys()
    stored = sorted(repr(dict(zip(keys, row, strict=True))) for row in found)
    assert stored == sorted(repr({k: row[k] for k in keys}) for row in rows)
