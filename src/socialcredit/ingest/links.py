"""Read links from JSON Lines or CSV (``socialcredit assess --links``), validating each line.

Every line is a link or a :class:`~socialcredit.ingest.files.LineProblem` naming the line and
every reason (``engine.linkvalidation``); a link id used twice, or a second link of the same
organisation, person and role overlapping an earlier one in time, is refused with the line of
the first.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialcredit.engine.intervals import OPEN_END
from socialcredit.engine.links import Link
from socialcredit.engine.linkvalidation import validate_link
from socialcredit.errors import InputError
from socialcredit.ingest.files import LineProblem, rows
from socialcredit.policy.base import base_catalogue

LINK = "link"


@dataclass
class LinkBatch:
    links: list[Link] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    warnings: list[LineProblem] = field(default_factory=list)
    lines: int = 0


def _overlap(a: Link, b: Link) -> bool:
    return a.valid_from < (b.valid_to or OPEN_END) and b.valid_from < (a.valid_to or OPEN_END)


@dataclass
class LinkReader:
    """Validates the rows of one source into a batch, remembering the links already seen."""

    path: str
    roles: frozenset[str]
    batch: LinkBatch = field(default_factory=LinkBatch)
    seen: dict[str, int] = field(default_factory=dict)
    by_role: dict[tuple[str, str, str], list[tuple[Link, int]]] = field(default_factory=dict)

    def _duplicates(self, link: Link) -> list[str]:
        reasons = []
        if link.id in self.seen:
            reasons.append(f"link id {link.id!r} already appears on line {self.seen[link.id]}")
        key = (link.organisation, link.person, link.role)
        for other, line in self.by_role.get(key, ()):
            if _overlap(link, other):
                reasons.append(
                    f"overlaps link {other.id!r} (line {line}) of the same organisation, "
                    f"person and role {link.role!r}: end one before the other starts"
                )
        return reasons

    def take(self, number: int, row: dict[str, Any] | str) -> None:
        self.batch.lines += 1
        if isinstance(row, str):
            self.batch.problems.append(LineProblem(self.path, number, None, (row,), LINK))
            return
        checked = validate_link(row, self.roles)
        link_id = None if row.get("id") is None else str(row.get("id"))
        if checked.link is not None:
            checked.reasons.extend(self._duplicates(checked.link))
        if checked.reasons or checked.link is None:
            self.batch.problems.append(
                LineProblem(self.path, number, link_id, tuple(checked.reasons), LINK)
            )
            return
        link = checked.link
        self.seen[link.id] = number
        key = (link.organisation, link.person, link.role)
        self.by_role.setdefault(key, []).append((link, number))
        self.batch.links.append(link)
        if checked.warnings:
            warning = LineProblem(self.path, number, link_id, tuple(checked.warnings), LINK)
            self.batch.warnings.append(warning)


def base_roles() -> frozenset[str]:
    """The role ids of the base taxonomy (``policy/data/base/taxonomy.yaml``)."""
    return frozenset(base_catalogue().roles)


def read_links(path: Path) -> LinkBatch:
    """Read and validate every line of a links file (``.jsonl`` or ``.csv``)."""
    reader = LinkReader(str(path), base_roles())
    try:
        for number, row in rows(path):
            reader.take(number, row)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read {path}: {exc}", {"path": str(path)}) from exc
    return reader.batch


__all__ = ["LinkBatch", "LinkReader", "base_roles", "read_links"]
