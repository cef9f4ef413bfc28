"""What a batch run counted: rows in, valid, rejected (always adding up), and the population's
grades, list memberships and decisions, accumulated partition by partition."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

COUNTS_SQL = """
SELECT COUNT(*) AS rows_in,
       COALESCE(SUM(CASE WHEN reasons <> '' THEN 1 ELSE 0 END), 0) AS rejected,
       COALESCE(SUM(CASE WHEN reasons = '' AND warning IS NOT NULL THEN 1 ELSE 0 END), 0)
         AS warnings,
       (SELECT COUNT(*) FROM subjects) AS subjects
FROM validated"""
"""The counts of a run, in one scan of ``validated``: one row, the columns of ``add_counts``."""
GROUP_QUERIES = {
    "grades": "SELECT model, grade, COUNT(*) FROM scores GROUP BY model, grade",
    "lists": "SELECT list_id, list_kind, COUNT(*) FROM memberships GROUP BY list_id, list_kind",
    "decisions": "SELECT service, effect, COUNT(*) FROM decisions GROUP BY service, effect",
}


@dataclass
class Summary:
    rows_in: int = 0
    rejected: int = 0
    warnings: int = 0
    subjects: int = 0
    partitions: int = 0
    grades: Counter[tuple[str, str]] = field(default_factory=Counter)
    lists: Counter[tuple[str, str]] = field(default_factory=Counter)
    decisions: Counter[tuple[str, str]] = field(default_factory=Counter)
    step_rows: Counter[str] = field(default_factory=Counter)

    @property
    def valid(self) -> int:
        return self.rows_in - self.rejected

    def add_counts(self, row: Sequence[int]) -> None:
        """Add the row of :data:`COUNTS_SQL` (one partition's counts)."""
        rows_in, rejected, warnings, subjects = (int(n) for n in row)
        self.rows_in += rows_in
        self.rejected += rejected
        self.warnings += warnings
        self.subjects += subjects
        self.partitions += 1

    def add_groups(self, name: str, rows: list[tuple[str, str, int]]) -> None:
        target: Counter[tuple[str, str]] = getattr(self, name)
        for a, b, n in rows:
            target[(a, b)] += int(n)
