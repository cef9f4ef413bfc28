"""Read a YAML file into plain data while remembering where every value was written.

PyYAML composes a node tree with marks; we convert it to Python data ourselves so that each path
(``("items", 3, "legal_basis")``) maps to its line and column, and so that a key written twice is
an error instead of silently keeping the last value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from socialcredit.errors import Problem

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceDocument:
    """One YAML file's data and the marks of every path in it."""

    path: str
    data: Any
    marks: dict[PathKey, Mark] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sha256: str = ""  # of the bytes that were parsed

    def mark(self, loc: Sequence[str | int]) -> Mark:
        """Where the deepest known prefix of ``loc`` was written."""
        key: PathKey = tuple(loc)
        while key and key not in self.marks:
            key = key[:-1]
        return self.marks.get(key, Mark(1, 1))

    def locate(self, loc: Sequence[str | int], rule: str, message: str) -> Problem:
        """A problem at the deepest known prefix of ``loc``."""
        mark = self.mark(loc)
        return Problem(self.path, rule, message, mark.line, mark.column)


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc
        self.constructor = yaml.SafeLoader(stream="")

    def convert(self, node: yaml.Node, path: PathKey) -> Any:
        self.doc.marks.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child, (*path, i)) for i, child in enumerate(node.value)]
        return self.constructor.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.constructor.construct_object(key_node, deep=True)
            if key in result:
                mark = _mark(key_node)
                self.doc.problems.append(
                    Problem(
                        self.doc.path,
                        "yaml",
                        f"key {key!r} is written twice in the same mapping",
                        mark.line,
                        mark.column,
                    )
                )
            self.doc.marks[(*path, key)] = _mark(key_node)
            result[key] = self.convert(value_node, (*path, key))
        return result


def read_yaml(path: Path, display: str | None = None) -> SourceDocument:
    """Parse ``path``; syntax errors become problems on the returned document."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        doc = SourceDocument(display or str(path), None)
        doc.problems.append(Problem(doc.path, "yaml", f"cannot read the file: {exc}"))
        return doc
    return parse_yaml(raw, display or str(path))


def parse_yaml(raw: bytes, display: str) -> SourceDocument:
    """Parse YAML bytes named ``display``; syntax errors become problems on the document."""
    doc = SourceDocument(display, None)
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    try:
        node = yaml.compose(raw.decode("utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError as exc:
        doc.problems.append(Problem(doc.path, "yaml", f"cannot read the file: {exc}"))
        return doc
    except RecursionError:
        doc.problems.append(Problem(doc.path, "yaml", "not a policy: nested too deeply"))
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        message = f"not valid YAML: {exc.problem or exc}"
        doc.problems.append(Problem(doc.path, "yaml", message, line, column))
        return doc
    except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
        doc.problems.append(Problem(doc.path, "yaml", f"not valid YAML: {exc}"))
        return doc
    if node is not None:
        try:
            doc.data = _Converter(doc).convert(node, ())
        except RecursionError:
            doc.problems.append(Problem(doc.path, "yaml", "not a policy: nested too deeply"))
    return doc
