"""Compare the batch outputs of two policy sets, subject by subject, in DuckDB.

Each side's grades, list memberships and decisions are completed with the baseline of its
subject kind for subjects that have no valid record on that side (see :mod:`.baseline`), then
joined with a full outer join so that a grade, list or decision present on one side only shows
as a change from or to ``(none)`` (grades), an entry or exit (lists) or ``allow`` (decisions).
Every table is counted by subject kind, region and sector.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from socialcredit.errors import InputError

KINDS = "('person', 'organisation')"
NONE = "(none)"
UNKNOWN = "unknown"
GROUPS = "a.kind, a.region, a.sector"

TABLES: dict[str, str] = {
    "population": f"SELECT {GROUPS}, COUNT(*) AS subjects FROM attrs a GROUP BY ALL ORDER BY ALL",
    "grade_transitions": (
        f"SELECT model, COALESCE(o.grade, '{NONE}') AS old_grade, "
        f"COALESCE(n.grade, '{NONE}') AS new_grade, {GROUPS}, COUNT(*) AS subjects "
        "FROM old_grades o FULL JOIN new_grades n USING (subject, model) "
        "JOIN attrs a USING (subject) GROUP BY ALL ORDER BY ALL"
    ),
    "list_changes": (
        "SELECT list, CASE WHEN o.subject IS NULL THEN 'entered' "
        "WHEN n.subject IS NULL THEN 'exited' ELSE 'stayed' END AS change, "
        f"{GROUPS}, COUNT(*) AS subjects "
        "FROM old_lists o FULL JOIN new_lists n USING (subject, list) "
        "JOIN attrs a USING (subject) GROUP BY ALL ORDER BY ALL"
    ),
    "decision_changes": (
        "SELECT service, COALESCE(o.effect, 'allow') AS old_effect, "
        f"COALESCE(n.effect, 'allow') AS new_effect, {GROUPS}, COUNT(*) AS subjects "
        "FROM old_decisions o FULL JOIN new_decisions n USING (subject, service) "
        "JOIN attrs a USING (subject) GROUP BY ALL ORDER BY ALL"
    ),
}
"""The tables of an impact report, each written as ``<name>.csv``."""


@dataclass(frozen=True)
class SideInput:
    """One side of the comparison: the batch output directory and its baseline tables."""

    name: str
    out: Path
    baseline: dict[str, pa.Table]


def _parquet(directory: Path, table: str) -> str:
    pattern = str(directory / table / "*.parquet").replace("'", "''")
    return f"read_parquet('{pattern}')"


def _parquet_file(path: Path) -> str:
    return "read_parquet('" + str(path).replace("'", "''") + "')"


def _side_sql(side: SideInput) -> list[str]:
    """The views and tables of one side: its subjects, grades, lists and decisions."""
    s, out = side.name, side.out
    absent = f"(SELECT u.subject, u.kind FROM universe u ANTI JOIN {s}_subjects USING (subject))"
    return [
        f"CREATE TEMP TABLE {s}_grades AS SELECT subject, model, grade "
        f"FROM {_parquet(out, 'scores')} UNION ALL SELECT x.subject, b.model, b.grade "
        f"FROM {absent} x JOIN {s}_base_scores b ON b.kind = x.kind",
        f"CREATE TEMP TABLE {s}_lists AS SELECT DISTINCT subject, list "
        f"FROM {_parquet(out, 'lists')} UNION SELECT x.subject, b.list "
        f"FROM {absent} x JOIN {s}_base_lists b ON b.kind = x.kind",
        f"CREATE TEMP TABLE {s}_decisions AS SELECT subject, service, effect "
        f"FROM {_parquet(out, 'decisions')} UNION ALL SELECT x.subject, b.service, b.effect "
        f"FROM {absent} x JOIN {s}_base_decisions b ON b.kind = x.kind",
    ]


def _attribute_source(con: duckdb.DuckDBPyConnection, subjects: Path | None) -> str:
    """``subject, kind, region, sector`` from a subjects Parquet directory (as ``synth``
    writes it: ``kind``, ``province``, ``sector``); absent columns are NULL."""
    if subjects is None:
        return "SELECT NULL::VARCHAR AS subject, NULL AS kind, NULL AS region, NULL AS sector"
    source = _parquet(subjects, "**") if subjects.is_dir() else _parquet_file(subjects)
    names = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    if "subject" not in names:
        raise InputError(f"the subjects table {subjects} has no column 'subject'")
    region = next((c for c in ("region", "province") if c in names), "NULL")
    kind = f"CASE WHEN kind IN {KINDS} THEN kind END" if "kind" in names else "NULL"
    sector = "sector" if "sector" in names else "NULL"
    return (
        f"SELECT subject, CAST({kind} AS VARCHAR) AS kind, CAST({region} AS VARCHAR) AS region, "
        f"CAST({sector} AS VARCHAR) AS sector FROM {source}"
    )


def _prepare(
    con: duckdb.DuckDBPyConnection, sides: tuple[SideInput, SideInput], subjects: Path | None
) -> None:
    for side in sides:
        for name, table in side.baseline.items():
            con.register(f"{side.name}_{name}", table)
        con.execute(
            f"CREATE TEMP VIEW {side.name}_subjects AS "
            f"SELECT subject, kind FROM {_parquet(side.out, 'subjects')}"
        )
    con.execute(f"CREATE TEMP TABLE attr_source AS {_attribute_source(con, subjects)}")
    con.execute(
        "CREATE TEMP TABLE universe AS SELECT subject, min(kind) AS kind FROM "
        "(SELECT * FROM old_subjects UNION ALL SELECT * FROM new_subjects UNION ALL "
        "SELECT subject, kind FROM attr_source WHERE kind IS NOT NULL) GROUP BY subject"
    )
    con.execute(
        f"CREATE TEMP TABLE attrs AS SELECT u.subject, u.kind, "
        f"COALESCE(x.region, '{UNKNOWN}') AS region, COALESCE(x.sector, '{NONE}') AS sector "
        "FROM universe u LEFT JOIN attr_source x USING (subject)"
    )
    for side in sides:
        for sql in _side_sql(side):
            con.execute(sql)


def _rejected(con: duckdb.DuckDBPyConnection, sides: tuple[SideInput, SideInput]) -> pa.Table:
    """Rows each side refused, counted by reason (from the batch run's quarantine)."""
    parts = [
        f"SELECT '{side.name}' AS side, reasons, COUNT(*) AS rows "
        f"FROM {_parquet(side.out, 'quarantine')} GROUP BY ALL"
        for side in sides
        if any((side.out / "quarantine").glob("*.parquet"))
    ]
    if not parts:
        return pa.table(
            {
                "side": pa.array([], pa.string()),
                "reasons": pa.array([], pa.string()),
                "rows": pa.array([], pa.int64()),
            }
        )
    return con.sql(" UNION ALL ".join(parts) + " ORDER BY side, rows DESC").to_arrow_table()


def compare(
    sides: tuple[SideInput, SideInput], subjects: Path | None, out: Path, memory_limit: str
) -> dict[str, pa.Table]:
    """Write every table of :data:`TABLES` to ``out/<name>.csv`` and return them."""
    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = '{memory_limit}'")
        _prepare(con, sides, subjects)
        tables: dict[str, pa.Table] = {}
        for name, sql in TABLES.items():
            tables[name] = con.sql(sql).to_arrow_table()
            pacsv.write_csv(tables[name], out / f"{name}.csv")
        tables["rejected"] = _rejected(con, sides)
        pacsv.write_csv(tables["rejected"], out / "rejected.csv")
        return tables
    finally:
        con.close()
