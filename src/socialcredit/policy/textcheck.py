"""The second net: screen every free-text field of a policy file (design.md principle 2).

Which terms apply depends on the field and on the structure around it (``screening.Scope``):
conduct no lawful policy records is refused anywhere; words that are innocent in a regulator's
record about an organisation are refused only in items about persons; authority fields are
screened for anonymous and informal sources (P3), exit and repair texts for renewal (P8), item
texts for chained listings (P6) and laundered scores (P5), and items or lists that would disclose
or list a minor for principle 13.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socialcredit.policy.findings import Finding, breach
from socialcredit.policy.index import PolicyIndex
from socialcredit.policy.models import Item, ListDef, Memorandum, PolicyFile, ScoreModel
from socialcredit.policy.screening import Scope, normalise, screen
from socialcredit.policy.yamlsource import PathKey

Field = tuple[PathKey, str | None]
AUTHORITY: tuple[Scope, ...] = ("everywhere", "authority")


def _check(fields: list[Field], scopes: tuple[Scope, ...], what: str) -> Iterator[Finding]:
    for loc, text in fields:
        if not text:
            continue
        for hit in screen(text.replace("-", " ") if loc[-1] in ("id", "code") else text, scopes):
            field = loc[-1] if isinstance(loc[-1], str) else "text"
            yield breach(
                loc,
                hit.term.principle,
                f"{what} {field} names {hit.term.matter} ({hit.term.term!r}); "
                + _acceptable(hit.term.principle),
            )


def _acceptable(principle: str) -> str:
    return {
        "P2": "only matters an authority adjudicates under a cited instrument, or that the "
        "subject volunteers, may be recorded (see socialcredit catalogue)",
        "P3": "an item rests on a decision of an identified authority of its base entry's kinds",
        "P5": "a score grants only benefits and never enters a list through an item; no benefit "
        "touches an essential service or hands out a scarce place",
        "P6": "a listing ends with its records; it cannot be renewed by recording the listing",
        "P8": "exits come from a closed set (obligation performed, term elapsed, decision "
        "revoked, repair granted), without renewal or discretion",
        "P13": "nothing about a person under 18 is disclosed publicly or enters a black or "
        "watch list",
    }[principle]


def _item_scopes(item: Item, entering: set[str]) -> tuple[Scope, ...]:
    scopes: list[Scope] = ["everywhere", "item"]
    if "person" in item.subject_kinds:
        scopes.append("personal")
    exposed = item.disclosure.tier == "public" or item.code in entering
    if "person" in item.subject_kinds and exposed:
        scopes.append("minors")
    return tuple(scopes)


def file_text_findings(model: PolicyFile, index: PolicyIndex) -> Iterator[Finding]:
    header = model.policy
    what = f"policy {header.id!r}"
    top: list[Field] = [(("policy", k), getattr(header, k)) for k in ("id", "title", "description")]
    yield from _check(top, ("everywhere",), what)
    yield from _check([(("policy", "authority"), header.authority)], AUTHORITY, what)
    rewarded = {
        service
        for memo in index.memoranda.values()
        for m in memo.obj.measures
        if m.effect == "benefit"
        for service in m.services
    }
    for i, s in enumerate(model.services):
        fields: list[Field] = [
            (("services", i, k), getattr(s, k)) for k in ("id", "title", "description")
        ]
        scopes: tuple[Scope, ...] = (
            ("everywhere", "scarce") if s.id in rewarded else ("everywhere",)
        )
        yield from _check(fields, scopes, f"service {s.id!r}")
    for i, m in enumerate(model.score_models):
        fields = [(("score_models", i, k), getattr(m, k)) for k in ("id", "title", "description")]
        yield from _check(fields, ("everywhere",), f"score model {m.id!r}")
        for j, ch in enumerate(m.scorecard.characteristics if m.scorecard else []):
            here = ("score_models", i, "scorecard", "characteristics", j)
            texts: list[Field] = [((*here, k), getattr(ch, k)) for k in ("id", "title", "reason")]
            yield from _check(texts, ("everywhere",), f"characteristic {ch.id!r}")
    entering = {
        e.item for lst in index.lists.values() if lst.obj.kind != "red" for e in lst.obj.entry.items
    }
    for i, item in enumerate(model.items):
        yield from _item_text(item, ("items", i), entering, index)
    for i, lst in enumerate(model.lists):
        yield from _list_text(lst, ("lists", i), index)
    for i, memo in enumerate(model.memoranda):
        yield from _memo_text(memo, ("memoranda", i))


def _item_text(
    item: Item, loc: PathKey, entering: set[str], index: PolicyIndex
) -> Iterator[Finding]:
    what = f"item {item.code!r}"
    keys = ("code", "title", "description", "legal_basis")
    fields: list[Field] = [((*loc, k), getattr(item, k)) for k in keys]
    yield from _check(fields, _item_scopes(item, entering), what)
    yield from _check([((*loc, "authority"), item.authority)], AUTHORITY, what)
    text = normalise(" ".join(t or "" for _, t in fields))
    for model in index.models.values():
        if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text) for n in _names(model.obj)):
            yield breach(
                (*loc, "title"),
                "P5",
                f"{what} names score model {model.obj.id!r}: a score laundered into an item; "
                + _acceptable("P5"),
            )


def _lists_persons(lst: ListDef, index: PolicyIndex) -> bool:
    kinds = [
        index.items[e.item].obj.subject_kinds for e in lst.entry.items if e.item in index.items
    ]
    if lst.entry.score is not None and lst.entry.score.model in index.models:
        kinds.append(index.models[lst.entry.score.model].obj.subject_kinds)
    return not kinds or any("person" in k for k in kinds)


def _names(model: ScoreModel) -> list[str]:
    """A score model's id and title, where specific enough to be a reference to it (several
    words, or an id of several parts)."""
    names = [normalise(model.title)] if len(model.title.split()) > 1 else []
    return names + ([normalise(model.id)] if "-" in model.id else [])


def _list_text(lst: ListDef, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    what = f"list {lst.id!r}"
    scopes: tuple[Scope, ...] = ("everywhere",)
    if _lists_persons(lst, index):
        scopes = ("everywhere", "personal")
        if lst.public or lst.kind != "red":
            scopes = ("everywhere", "personal", "minors")
    fields: list[Field] = [((*loc, k), getattr(lst, k)) for k in ("id", "title", "legal_basis")]
    yield from _check(fields, scopes, what)
    yield from _check([((*loc, "authority"), lst.authority)], AUTHORITY, what)
    way_out: list[Field] = [((*loc, "description"), lst.description)]
    way_out += [((*loc, "exit", i, "text"), e.text) for i, e in enumerate(lst.exit)]
    if lst.repair is not None:
        way_out.append(((*loc, "repair", "procedure"), lst.repair.procedure))
    yield from _check(way_out, (*scopes, "exit"), what)


def _memo_text(memo: Memorandum, loc: PathKey) -> Iterator[Finding]:
    what = f"memorandum {memo.id!r}"
    fields: list[Field] = [((*loc, k), getattr(memo, k)) for k in ("id", "title", "description")]
    fields += [((*loc, "signatories", i), s) for i, s in enumerate(memo.signatories)]
    yield from _check(fields, ("everywhere",), what)
    for i, m in enumerate(memo.measures):
        here = (*loc, "measures", i)
        keys = ("id", "description", "legal_basis", "agency", "nexus")
        fields = [((*here, k), getattr(m, k)) for k in keys]
        scopes: tuple[Scope, ...] = ("everywhere",)
        if "person" in m.subject_kinds:
            scopes = (*scopes, "personal")
        if m.effect == "benefit":
            scopes = (*scopes, "scarce")
        yield from _check(fields, scopes, f"measure {m.id!r}")
