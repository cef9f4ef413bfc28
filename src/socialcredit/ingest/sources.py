"""Read an agency's export row by row, in bounded memory: CSV and JSON Lines in a declared
encoding, Excel workbooks read-only.

Each row comes with its line (CSV, JSON Lines) or row number (Excel), its cells by column name
as text, and its raw text (for the quarantine). A line that is not text in the declared
encoding is a row with a problem naming the line and byte, never a crash; a header that is not
is a refusal of the whole file, since no row could be read.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from socialcredit.errors import InputError
from socialcredit.ingest.mapping_models import Source, SourceFormat


@dataclass(frozen=True)
class SourceRow:
    line: int
    cells: dict[str, str]
    text: str  # the raw line (or, from Excel, the row's cells as a CSV line)
    problem: str | None = None


@dataclass
class Opened:
    """An export opened for reading: its columns (None for JSON Lines, whose keys are per
    line) and its rows; ``keys`` collects the keys JSON Lines rows carried."""

    columns: list[str] | None
    rows: Iterator[SourceRow]
    keys: set[str] = field(default_factory=set)


def _csv_text(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


class _Lines:
    """Decodes a binary file line by line, remembering each line's text and any line that is
    not text in the encoding (decoded with replacement characters so the row can be shown)."""

    def __init__(self, handle: IO[bytes], encoding: str, number: int) -> None:
        self.handle, self.encoding, self.number = handle, encoding, number
        self.taken: list[tuple[int, str]] = []
        self.bad: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        raw = next(self.handle)
        self.number += 1
        try:
            text = raw.decode(self.encoding)
        except UnicodeDecodeError as exc:
            self.bad.append(
                f"line {self.number} is not {self.encoding} text (byte {exc.start + 1})"
            )
            text = raw.decode(self.encoding, errors="replace")
        self.taken.append((self.number, text))
        return text

    def settle(self) -> tuple[int, str, list[str]]:
        """The first line, the raw text and the decoding problems of the row just read."""
        first = self.taken[0][0] if self.taken else self.number
        text = "".join(t for _, t in self.taken).rstrip("\r\n")
        bad, self.taken, self.bad = self.bad, [], []
        return first, text, bad


def _header(handle: IO[bytes], path: Path, source: Source) -> list[str]:
    for _ in range(source.header_row - 1):
        handle.readline()
    raw = handle.readline()
    try:
        text = raw.decode(source.encoding)
    except UnicodeDecodeError as exc:
        other = "utf-8" if source.encoding == "gb18030" else "gb18030"
        raise InputError(
            f"{path}:{source.header_row}: the header is not {source.encoding} text (byte "
            f"{exc.start + 1}); is the file in another encoding (for example {other})?",
            {"path": str(path), "line": source.header_row, "encoding": str(source.encoding)},
        ) from exc
    return [c.strip() for c in next(csv.reader([text.removeprefix("\ufeff")]), [])]


def _csv_values(lines: _Lines) -> Iterator[list[str] | str]:
    """The rows of the CSV text, or why a row is not CSV (a field past the size limit...);
    reading goes on with the next line."""
    reader = csv.reader(lines)
    while True:
        before = lines.number
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield f"not CSV: {exc}"
            if lines.number == before:  # nothing more was read: the reader cannot go on
                return


def _csv_rows(handle: IO[bytes], lines: _Lines, columns: list[str]) -> Iterator[SourceRow]:
    with handle:
        for values in _csv_values(lines):
            line, text, bad = lines.settle()
            if isinstance(values, str):
                yield SourceRow(line, {}, text, "; ".join([*bad, values]))
                continue
            if not any(v.strip() for v in values) and not bad:
                continue
            if len(values) > len(columns):
                extra = len(values) - len(columns)
                bad.append(f"{extra} value(s) more than the header has columns")
            cells = dict(zip(columns, values, strict=False))
            yield SourceRow(line, cells, text, "; ".join(bad) or None)


def _open_csv(path: Path, source: Source) -> Opened:
    handle = path.open("rb")
    try:
        columns = _header(handle, path, source)
    except BaseException:
        handle.close()
        raise
    lines = _Lines(handle, source.encoding, source.header_row)
    return Opened(columns, _csv_rows(handle, lines, columns))


def _json_cells(value: Any) -> dict[str, str] | str:
    if not isinstance(value, dict):
        return "a row of a JSON Lines export is a JSON object"
    cells = {}
    for key, cell in value.items():
        if isinstance(cell, dict | list):
            return f"key {key!r} holds a nested value; a row's values are text or numbers"
        cells[str(key)] = "" if cell is None else str(cell)
    return cells


def _jsonl_rows(path: Path, source: Source, opened: Opened) -> Iterator[SourceRow]:
    with path.open("rb") as handle:
        lines = _Lines(handle, source.encoding, 0)
        for text in lines:
            line, raw, bad = lines.settle()
            if not text.strip():
                continue
            if bad:
                yield SourceRow(line, {}, raw, "; ".join(bad))
                continue
            try:
                found = _json_cells(json.loads(text))
            except (json.JSONDecodeError, RecursionError) as exc:
                found = f"not valid JSON: {getattr(exc, 'msg', 'nested too deeply')}"
            if isinstance(found, str):
                yield SourceRow(line, {}, raw, found)
                continue
            opened.keys.update(found)
            yield SourceRow(line, found, raw)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(path: Path, source: Source) -> tuple[list[str], Iterator[SourceRow]]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"{path} is not an Excel (xlsx) workbook: {exc}", {"path": str(path)}
        ) from exc
    if source.sheet is not None and source.sheet not in book.sheetnames:
        book.close()
        raise InputError(
            f"{path} has no sheet {source.sheet!r} (it has: {', '.join(book.sheetnames)})",
            {"path": str(path), "sheet": source.sheet},
        )
    sheet = book[source.sheet] if source.sheet is not None else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header: list[str] = []
    for number, values in enumerate(rows, start=1):
        if number == source.header_row:
            header = [_cell_text(v).strip() for v in values]
            break
    return header, _xlsx_data(book, rows, header, source.header_row)


def _xlsx_data(
    book: Any, rows: Iterator[Any], header: list[str], start: int
) -> Iterator[SourceRow]:
    try:
        for number, values in enumerate(rows, start=start + 1):
            texts = [_cell_text(v) for v in values]
            if not any(t.strip() for t in texts):
                continue
            extra = [t for t in texts[len(header) :] if t.strip()]
            problem = f"{len(extra)} value(s) beyond the header's columns" if extra else None
            yield SourceRow(
                number, dict(zip(header, texts, strict=False)), _csv_text(texts), problem
            )
    finally:
        book.close()


BLOCK = 1 << 20


def rows_estimate(path: Path, source: Source | None = None) -> int | None:
    """About how many rows ``path`` holds, for a progress bar: its lines less the header's
    (``source`` None: a records file, whose CSV has one header line), counted in blocks of
    1 MiB, or an Excel sheet's recorded dimension; None if unknown."""
    try:
        if source is not None and source.format is SourceFormat.XLSX:
            book = load_workbook(path, read_only=True)
            try:
                sheet = book[source.sheet] if source.sheet else book.worksheets[0]
                rows = sheet.max_row
            finally:
                book.close()
            return None if rows is None else max(rows - source.header_row, 0)
        lines = 0
        with path.open("rb") as handle:
            while block := handle.read(BLOCK):
                lines += block.count(b"\n")
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None
    if source is None:
        header = 1 if path.suffix.lower() == ".csv" else 0
    else:
        header = 0 if source.format is SourceFormat.JSONL else source.header_row
    return max(lines - header, 0)


def open_source(path: Path, source: Source) -> Opened:
    """Open ``path`` as ``source`` describes it; raise :class:`InputError` if it cannot be."""
    if not path.is_file():
        raise InputError(f"file not found: {path}", {"path": str(path)})
    if source.format is SourceFormat.CSV:
        return _open_csv(path, source)
    if source.format is SourceFormat.XLSX:
        header, rows = _xlsx_rows(path, source)
        return Opened(header, rows)
    opened = Opened(None, iter(()))
    opened.rows = _jsonl_rows(path, source, opened)
    return opened
