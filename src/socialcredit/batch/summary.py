"""What a batch run counted: rows in, valid, rejected (always adding up), and the population's
grades, list memberships and decisions, accumulated partition by partition."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

COUNT_QUERIES = {
    "rows_in": "SELECT COUNT(*) FROM validated",
    "rejected": "SELECT COUNT(*) FROM validated WHERE reasons <> ''",
    "warnings": "SELECT COUNT(*) FROM validated WHERE reasons = '' AND warning IS NOT NULL",
    "subjects": "SELECT COUNT(*) FROM subjects",
}
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

    def add_counts(self, counts: dict[str, int]) -> None:
        self.rows_in += counts["rows_in"]
        self.rejected += counts["rejected"]
        self.warnings += counts["warnings"]
        self.subjects += counts["subjects"]
        self.partitions += 1

    def add_groups(self, name: str, rows: list[tuple[str, str, int]]) -> None:
        target: Counter[tuple[str, str]] = getattr(self, name)
        for a, b, n in rows:
            target[(a, b)] += int(n)
