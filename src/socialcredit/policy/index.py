"""An index of every named thing across the loaded policy files, for the second load phase.

Each entry remembers which file and path declared it, so that cross-reference and safeguard
findings can be located precisely. Duplicate codes are reported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from socialcredit.errors import Problem
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.base_models import BaseCatalogue
from socialcredit.policy.models import Item, ListDef, Memorandum, PolicyFile, ScoreModel, Service
from socialcredit.policy.yamlsource import PathKey, SourceDocument

T = TypeVar("T")


@dataclass(frozen=True)
class Located(Generic[T]):
    obj: T
    doc: SourceDocument
    loc: PathKey


@dataclass(frozen=True)
class ParsedFile:
    """A file that passed the first phase (its shape)."""

    doc: SourceDocument
    model: PolicyFile


@dataclass
class PolicyIndex:
    items: dict[str, Located[Item]] = field(default_factory=dict)
    models: dict[str, Located[ScoreModel]] = field(default_factory=dict)
    lists: dict[str, Located[ListDef]] = field(default_factory=dict)
    memoranda: dict[str, Located[Memorandum]] = field(default_factory=dict)
    services: dict[str, Located[Service]] = field(default_factory=dict)
    item_policy: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    accepted: list[ParsedFile] = field(default_factory=list)
    base: BaseCatalogue = field(default_factory=base_catalogue)

    def _add(self, table: dict[str, Located[T]], code: str, entry: Located[T], what: str) -> bool:
        first = table.get(code)
        if first is None:
            table[code] = entry
            return True
        where = f"{first.doc.path}:{first.doc.mark(first.loc).line}"
        self.problems.append(
            entry.doc.locate(
                entry.loc, "duplicate", f"{what} {code!r} is already defined at {where}"
            )
        )
        return False

    def _add_service(self, service: Service, doc: SourceDocument, loc: PathKey) -> None:
        first = self.services.get(service.id)
        if first is None or first.obj.domain != service.domain:
            self._add(self.services, service.id, Located(service, doc, loc), "service")

    def add_file(self, parsed: ParsedFile) -> None:
        doc, model = parsed.doc, parsed.model
        for i, s in enumerate(model.services):
            self._add_service(s, doc, ("services", i))
        for i, item in enumerate(model.items):
            if self._add(self.items, item.code, Located(item, doc, ("items", i)), "item"):
                self.item_policy[item.code] = model.policy.id
        for i, m in enumerate(model.score_models):
            self._add(self.models, m.id, Located(m, doc, ("score_models", i)), "score model")
        for i, lst in enumerate(model.lists):
            self._add(self.lists, lst.id, Located(lst, doc, ("lists", i)), "list")
        for i, memo in enumerate(model.memoranda):
            self._add(self.memoranda, memo.id, Located(memo, doc, ("memoranda", i)), "memorandum")


def build_index(files: Iterable[ParsedFile]) -> PolicyIndex:
    index = PolicyIndex()
    seen: dict[str, ParsedFile] = {}
    for parsed in files:
        pid = parsed.model.policy.id
        if pid in seen:
            parsed_loc = ("policy", "id")
            message = f"policy {pid!r} is already loaded from {seen[pid].doc.path}"
            index.problems.append(parsed.doc.locate(parsed_loc, "duplicate", message))
            continue
        seen[pid] = parsed
        index.accepted.append(parsed)
        index.add_file(parsed)
    return index
