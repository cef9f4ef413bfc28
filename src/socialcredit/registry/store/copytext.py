"""PostgreSQL's ``COPY`` text format: a block of rows as one statement and its data.

Each table's rows are formatted column by column (the loops over a column's values run in C
where they can): most strings need no escape, and a block's rows share a few dates. JSON
columns are sent as compact JSON text (:func:`to_json`; the same values SQLAlchemy stores).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from operator import itemgetter
from typing import Any

import orjson
from psycopg import Connection as PgConnection
from pydantic_core import to_json as _to_json
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, Table


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def to_json(value: Any) -> str:
    """Compact JSON text of ``value``, non-ASCII characters written as themselves: orjson's
    encoder (about three times faster than pydantic-core's on assessment bodies, and many
    times faster than the standard library's), or pydantic-core's for what orjson refuses
    (non-string keys, decimals, integers beyond 64 bits)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return _to_json(value).decode()


def copy_rows(raw: PgConnection[Any], tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """``COPY`` ``rows`` (all with the same keys) into ``tbl`` on the psycopg connection
    ``raw``, sent as one block of text (:func:`copy_text`)."""
    if not rows:
        return
    statement, data = copy_text(tbl, rows)
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(data)


# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _text(value: Any) -> str:
    if value is None:
        return _NULL
    text = value if type(value) is str else str(value)
    # tab, newline and carriage return are not printable: two scans instead of four
    if text.isprintable() and "\\" not in text:
        return text
    return text.translate(_ESCAPES)


def _boolean(value: Any) -> str:
    return _NULL if value is None else ("t" if value else "f")


def _json(value: Any) -> str:
    """JSON text; only a backslash can need escaping (compact JSON has no raw control
    characters)."""
    if value is None:
        return _NULL
    if type(value) is dict and not value:
        return "{}"  # most status events' details
    found = to_json(value)
    return found.replace("\\", "\\\\") if "\\" in found else found


# Each column of a block is formatted as a whole (the loops over its values run in C where
# they can): most of a block's strings need no escape, and a block's rows share a few dates.
_NONE = type(None)


def _texts(values: list[Any]) -> list[str]:
    """Strings: as they are when none of the column's needs an escape (one check of all of
    them), else one by one."""
    kinds = set(map(type, values))
    if kinds <= {str, _NONE}:
        present = [v for v in values if v is not None] if _NONE in kinds else values
        joined = "".join(present)
        # tab, newline and carriage return are not printable: two scans instead of four
        if joined.isprintable() and "\\" not in joined:
            return [_NULL if v is None else v for v in values] if _NONE in kinds else values
    return list(map(_text, values))


def _integers(values: list[Any]) -> list[str]:
    if None in values:
        return [_NULL if v is None else str(v) for v in values]
    return list(map(str, values))


def _isos(values: list[Any]) -> list[str]:
    """ISO dates and times, each distinct one written once."""
    seen = {v: _NULL if v is None else v.isoformat() for v in set(values)}
    return list(map(seen.__getitem__, values))


def _jsons(values: list[Any]) -> list[str]:
    """JSON text; the same object as the row before (the active policies' list on every row)
    is written once."""
    found: list[str] = []
    last: Any = found  # no value is this list
    text = _NULL
    for value in values:
        if value is not last:
            last, text = value, _json(value)
        found.append(text)
    return found


def _column(kind: Any, values: list[Any]) -> list[str]:
    """One column's values as COPY text, by the column's type."""
    if isinstance(kind, JSON):
        return _jsons(values)
    if isinstance(kind, Date | DateTime):
        return _isos(values)
    if isinstance(kind, Boolean):
        return list(map(_boolean, values))
    if isinstance(kind, Integer):
        return _integers(values)
    return _texts(values)


@cache
def _statement(tbl: Table, columns: tuple[str, ...]) -> str:
    return f"COPY {quote(tbl.name)} ({', '.join(map(quote, columns))}) FROM STDIN"


def copy_text(tbl: Table, rows: Sequence[Mapping[str, Any]]) -> tuple[str, bytes]:
    """The ``COPY`` statement for ``rows`` (all with the same keys) and their data in COPY's
    text format (what psycopg's row writer would send), formatted column by column."""
    columns = tuple(rows[0])
    if len(columns) > 1:
        by_column = list(zip(*map(itemgetter(*columns), rows), strict=True))
    else:
        by_column = [tuple(row[columns[0]] for row in rows)]
    cells = [
        _column(tbl.c[name].type, list(values))
        for name, values in zip(columns, by_column, strict=True)
    ]
    text = "\n".join(map("\t".join, zip(*cells, strict=True)))
    return _statement(tbl, columns), (text + "\n").encode()
