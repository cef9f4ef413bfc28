"""Read records from JSON Lines or CSV, validating each line; nothing is silently dropped.

Every line is either a record or a :class:`LineProblem` naming the line and every reason.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialcredit.engine import Record, validate_record
from socialcredit.errors import InputError, Problem
from socialcredit.policy import PolicySet

JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")


@dataclass(frozen=True)
class LineProblem:
    path: str
    line: int
    record_id: str | None
    reasons: tuple[str, ...]
    what: str = "record"
    """What the line holds: a ``record`` or a ``link``."""

    def as_problem(self) -> Problem:
        label = f"{self.what} {self.record_id!r}: " if self.record_id else ""
        return Problem(self.path, self.what, label + "; ".join(self.reasons), self.line)


@dataclass
class RecordBatch:
    records: list[Record] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    warnings: list[LineProblem] = field(default_factory=list)
    lines: int = 0


BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
"""Byte-order marks of the encodings a records file must not be in (UTF-32 first: its
little-endian mark begins with UTF-16's)."""


def _check_encoding(path: Path) -> None:
    """Refuse, before any line is read, a file that is UTF-16 or UTF-32, or binary."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    for bom, name in BOMS.items():
        if head.startswith(bom):
            raise InputError(
                f"{path} is {name} text; records files are UTF-8 "
                f"(convert it, for example: iconv -f {name} -t UTF-8)",
                {"path": str(path), "encoding": name},
            )
    if b"\x00" in head:
        raise InputError(
            f"{path} holds NUL bytes: it is a binary file, not UTF-8 text",
            {"path": str(path)},
        )


def _decoded(number: int, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _LineRefused(f"line {number} is not UTF-8 text (byte {exc.start + 1})") from exc
    return text.removeprefix("\ufeff") if number == 1 else text


class _LineRefused(Exception):
    """One line cannot be read; the reason is its message."""


def _json_value(line: str) -> dict[str, Any] | str:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not valid JSON: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return "not a record: JSON nested too deeply"
    return value if isinstance(value, dict) else "a record is a JSON object"


def _json_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = _decoded(number, raw)
            except _LineRefused as exc:
                yield number, str(exc)
                continue
            if not line.strip():
                continue
            yield number, _json_value(line)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            for row in reader:
                extra = row.pop(None, None)
                if extra:
                    yield reader.line_num, f"{len(extra)} value(s) more than the header has columns"
                    continue
                yield reader.line_num, dict(row)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path} is not UTF-8 text (past line {reader.line_num}); records files are UTF-8",
                {"path": str(path), "line": reader.line_num + 1},
            ) from exc
        except csv.Error as exc:
            raise InputError(
                f"{path}:{reader.line_num + 1}: not CSV: {exc}",
                {"path": str(path), "line": reader.line_num + 1},
            ) from exc


def rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Raw rows with their line numbers; a string instead of a row is why it is unreadable."""
    if not path.is_file():
        raise InputError(f"records file not found: {path}", {"path": str(path)})
    try:
        _check_encoding(path)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", {"path": str(path)}) from exc
    if path.suffix.lower() in JSON_SUFFIXES:
        return _json_rows(path)
    if path.suffix.lower() == ".csv":
        return _csv_rows(path)
    raise InputError(
        f"cannot tell the format of {path}: name it .jsonl (JSON Lines) or .csv",
        {"path": str(path)},
    )


@dataclass
class _Reader:
    """Validates the lines of one file into a batch, remembering the ids already seen."""

    path: str
    policies: PolicySet
    batch: RecordBatch = field(default_factory=RecordBatch)
    seen: dict[str, int] = field(default_factory=dict)

    def take(self, number: int, row: dict[str, Any] | str) -> None:
        self.batch.lines += 1
        if isinstance(row, str):
            self.batch.problems.append(LineProblem(self.path, number, None, (row,)))
            return
        checked = validate_record(row, self.policies)
        record_id = None if row.get("id") is None else str(row.get("id"))
        if record_id is not None and record_id in self.seen:
            first = self.seen[record_id]
            checked.reasons.append(f"record id {record_id!r} already appears on line {first}")
        if checked.reasons or checked.record is None:
            problem = LineProblem(self.path, number, record_id, tuple(checked.reasons))
            self.batch.problems.append(problem)
            return
        self.seen[checked.record.id] = number
        self.batch.records.append(checked.record)
        if checked.warnings:
            warning = LineProblem(self.path, number, record_id, tuple(checked.warnings))
            self.batch.warnings.append(warning)


def read_records(path: Path, policies: PolicySet) -> RecordBatch:
    """Read and validate every line of ``path``."""
    reader = _Reader(str(path), policies)
    try:
        for number, row in rows(path):
            reader.take(number, row)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read {path}: {exc}", {"path": str(path)}) from exc
    return reader.batch
