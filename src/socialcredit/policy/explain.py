"""``policy check --explain``: for every item and measure, the base entry and instrument it rests
on and how the policy narrows it; for every scorecard, its model card."""

from __future__ import annotations

from collections.abc import Iterator

from socialcredit.policy.base_models import BaseCatalogue
from socialcredit.policy.index import ParsedFile
from socialcredit.policy.models import Item, Measure, Memorandum, PolicyFile
from socialcredit.policy.scorecard_explain import explain_scorecard


def _of(chosen: list[str], allowed: list[str]) -> str:
    return f"{', '.join(chosen)} (of {', '.join(allowed)})"


def explain_item(item: Item, base: BaseCatalogue) -> Iterator[str]:
    entry = base.entries[item.base or ""]
    yield f"  item {item.code}: rests on {entry.code} ({entry.title.en} / {entry.title.zh})"
    for instrument in entry.instruments:
        yield f"    instrument: {instrument.cite()} [{instrument.rank}]"
    yield (
        f"    narrows: severity {item.severity} (base at most {entry.max_severity}); counts for "
        f"{item.counts_for} (base at most {entry.max_counts_for}); disclosed "
        f"{item.disclosure.tier} for {item.disclosure.period} (base at most "
        f"{entry.max_disclosure.tier} for {entry.max_disclosure.period})"
    )
    yield (
        f"    subjects: {_of(list(item.subject_kinds), list(entry.subject_kinds))}; "
        f"authority kind: {_of([item.authority_kind or ''], entry.authority_kinds)}"
    )


def explain_measure(
    memo: Memorandum, measure: Measure, model: PolicyFile, base: BaseCatalogue
) -> Iterator[str]:
    found = base.measures[measure.base or ""]
    yield f"  measure {measure.id}: rests on {found.code} ({found.title.en} / {found.title.zh})"
    for instrument in found.instruments:
        yield f"    instrument: {instrument.cite()} [{instrument.rank}]"
    bases = {s.id: s.base or "" for s in model.services}
    chosen = [f"{s}={bases.get(s, '?')}" for s in measure.services]
    yield f"    services: {_of(chosen, found.services)}"
    yield f"    effect: {measure.effect} (base {found.effect}); targets: " + _of(
        list(measure.targets), found.targets
    )
    if memo.score is not None:
        yield f"    trigger: score {memo.score.model} (the base measure may be granted on a score)"
        return
    lst = next((x for x in model.lists if x.id == memo.list_id), None)
    items = {i.code: i.base or "?" for i in model.items}
    entering = [f"{e.item}={items.get(e.item, '?')}" for e in lst.entry.items] if lst else []
    if lst is not None and lst.entry.score is not None:
        entering.append(f"score {lst.entry.score.model}")
    yield (
        f"    nexus: list {memo.list_id} entered through {', '.join(entering) or 'another file'}; "
        f"the base measure is triggered by {', '.join(found.triggers)}"
    )


def explain(parsed: list[ParsedFile], base: BaseCatalogue) -> Iterator[str]:
    """Lines explaining every item and measure of policies that passed the check."""
    for result in parsed:
        model = result.model
        yield f"{result.doc.path}  {model.policy.id} {model.policy.version}"
        for item in model.items:
            yield from explain_item(item, base)
        for score_model in model.score_models:
            yield from explain_scorecard(score_model)
        for memo in model.memoranda:
            for measure in memo.measures:
                yield from explain_measure(memo, measure, model, base)
