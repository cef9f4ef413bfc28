"""Synthetic records of one bucket's subjects, for every catalogued item of the loaded policies.

Rates differ by item (severity, a seeded weight), by province (a seeded factor per province and
item) and by subject (a latent risk). Lifecycle events follow the record's decision in the order
``engine.validate_record`` requires: notification, resolution, revocation, objection and its
decision, all on or after the decision date and never after the end of the simulated period.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from socialcredit.engine import RECORD_FIELDS, DisputeOutcome
from socialcredit.identity.kinds import IdentifierKind
from socialcredit.policy import PolicySet
from socialcredit.policy.models import Item
from socialcredit.policy.vocabulary import Polarity
from socialcredit.sim.population import Subjects
from socialcredit.sim.regions import PROVINCES


def _arrow_type(field: str) -> pa.DataType:
    if field == "amount":
        return pa.float64()
    return pa.date32() if field.endswith("_on") else pa.string()


RECORD_SCHEMA = pa.schema([(name, _arrow_type(name)) for name in RECORD_FIELDS])
"""The Parquet form of a record: the fields of ``engine.RECORD_FIELDS`` with typed dates."""
DECLARED_SCHEMA = RECORD_SCHEMA.append(pa.field("identifier_kind", pa.string()))
"""The same with the kind each subject's identifier is declared as: generated data knows it, and
an all-digit credit code is refused unless declared (it has a permanent residence card's shape)."""


def declared_kinds(is_person: BoolArray) -> pa.Array:
    """The ``identifier_kind`` of persons' resident numbers and organisations' credit codes."""
    kinds = np.where(is_person, IdentifierKind.RESIDENT.value, IdentifierKind.USCC.value)
    return pa.array(kinds.tolist(), pa.string())


_SEVERITY_WEIGHT = {"minor": 3.0, "general": 1.5, "serious": 0.5}
_AMOUNT_CATEGORIES = {
    "tax_arrears",
    "social_insurance_arrears",
    "fee_arrears",
    "contract_default",
    "court_judgment",
}
_OUTCOMES = tuple(outcome.value for outcome in DisputeOutcome)
_EPOCH = date(1970, 1, 1)
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class RecordSpec:
    seed: int
    start: date
    days: int
    negative_rate: tuple[float, float] = (2.6, 4.0)
    """Mean negative records per person, per organisation (at average risk)."""
    positive_rate: tuple[float, float] = (1.8, 1.5)
    court_share: float = 0.015
    """The share of drawn court-judgment records kept. Court findings are rare: with every
    category drawn alike about a third of subjects ended on the defaulter list; the courts'
    figures put it near one resident in a hundred (14.5 M listed in 2019; docs/simulation.md)."""


@dataclass(frozen=True)
class Catalogue:
    """The items of one subject kind and one polarity, with their per-province weights."""

    items: tuple[Item, ...]
    weights: npt.NDArray[np.float64]  # provinces x items, rows sum to 1

    @classmethod
    def build(cls, items: list[Item], seed: int) -> Catalogue:
        provinces = len(PROVINCES)
        weights = np.ones((provinces, max(1, len(items))))
        for j, item in enumerate(items):
            rng = np.random.default_rng([seed, 2, zlib.crc32(item.code.encode())])
            base = _SEVERITY_WEIGHT[str(item.severity)] * rng.lognormal(0.0, 0.5)
            weights[:, j] = base * rng.lognormal(0.0, 0.35, provinces)
        return cls(tuple(items), weights / weights.sum(axis=1, keepdims=True))


CatalogueMap = dict[tuple[str, bool], "Catalogue"]


def catalogues(policies: PolicySet, seed: int) -> CatalogueMap:
    """(kind, negative) -> catalogue."""
    out = {}
    for kind in ("person", "organisation"):
        for negative in (True, False):
            items = [
                item
                for _code, item in sorted(policies.items.items())
                if kind in item.subject_kinds and (item.polarity is Polarity.NEGATIVE) == negative
            ]
            out[(kind, negative)] = Catalogue.build(items, seed)
    return out


def _choose_items(
    rng: np.random.Generator, catalogue: Catalogue, provinces: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    chosen = np.zeros(len(provinces), dtype=np.int64)
    for province in np.unique(provinces).tolist():
        where = provinces == province
        weights = catalogue.weights[province]
        chosen[where] = rng.choice(len(weights), size=int(where.sum()), p=weights)
    return chosen


def _kept(
    rng: np.random.Generator, catalogue: Catalogue, chosen: npt.NDArray[np.int64], share: float
) -> BoolArray:
    """Which drawn records are kept: court judgments thinned to ``share``, the rest all."""
    court = np.array([i.category == "court_judgment" for i in catalogue.items], dtype=bool)
    if not court.any():
        return np.ones(len(chosen), dtype=bool)
    return ~court[chosen] | (rng.random(len(chosen)) < share)


def _draw_items(
    rng: np.random.Generator, subjects: Subjects, spec: RecordSpec, cats: CatalogueMap
) -> tuple[npt.NDArray[np.int64], list[Item]]:
    """Which subject each record is about (sorted) and its item."""
    owners: list[npt.NDArray[np.int64]] = []
    items: list[Item] = []
    for (kind, negative), catalogue in cats.items():
        if not catalogue.items:
            continue
        of_kind = subjects.is_person == (kind == "person")
        rates = spec.negative_rate if negative else spec.positive_rate
        base = rates[0] if kind == "person" else rates[1]
        scale = subjects.risk if negative else 1.0 / (0.5 + subjects.risk)
        counts = np.where(of_kind, rng.poisson(base * scale), 0)
        owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        chosen = _choose_items(rng, catalogue, subjects.province[owner])
        keep = _kept(rng, catalogue, chosen, spec.court_share)
        owners.append(owner[keep])
        items.extend(catalogue.items[i] for i in chosen[keep].tolist())
    if not owners:
        return np.zeros(0, dtype=np.int64), []
    owner = np.concatenate(owners)
    order = np.argsort(owner, kind="stable")
    return owner[order], [items[i] for i in order.tolist()]


def _event(
    rng: np.random.Generator,
    after: npt.NDArray[np.int64],
    probability: float,
    span: tuple[int, int],
) -> tuple[npt.NDArray[np.int64], BoolArray]:
    """An optional event ``span`` days after ``after``; returns days and the absent mask."""
    days = after + rng.integers(span[0], span[1] + 1, len(after))
    absent = rng.random(len(after)) >= probability
    return days, absent


def _dates(column: npt.NDArray[np.int64], absent: BoolArray) -> pa.Array:
    return pa.array(column.astype(np.int32), mask=absent).cast(pa.date32())


def _lifecycle(
    rng: np.random.Generator, items: list[Item], spec: RecordSpec
) -> dict[str, pa.Array]:
    n = len(items)
    first = (spec.start - _EPOCH).days
    last = first + spec.days - 1
    negative = np.array([i.polarity is Polarity.NEGATIVE for i in items], dtype=bool)
    decided = first + rng.integers(0, spec.days, n)
    notified, no_notice = _event(rng, decided, 0.3, (1, 30))
    resolved, no_resolution = _event(rng, decided, 0.35, (5, 900))
    revoked, no_revocation = _event(rng, decided, 0.02, (1, 400))
    disputed, no_dispute = _event(rng, decided, 0.06, (0, 60))
    dispute_decided, undecided = _event(rng, disputed, 0.75, (1, 45))
    no_resolution |= ~negative | (resolved > last)
    no_revocation |= revoked > last
    no_dispute |= ~negative | (disputed > last)
    undecided |= no_dispute | (dispute_decided > last)
    outcome = rng.choice(len(_OUTCOMES), size=n, p=[0.6, 0.25, 0.15])
    return {
        "decided_on": _dates(decided, np.zeros(n, dtype=bool)),
        "notified_on": _dates(notified, no_notice | ~negative | (notified > last)),
        "resolved_on": _dates(resolved, no_resolution),
        "revoked_on": _dates(revoked, no_revocation),
        "disputed_on": _dates(disputed, no_dispute),
        "dispute_decided_on": _dates(dispute_decided, undecided),
        "notice": pa.nulls(n, pa.string()),  # served as the agency attests
        "dispute_outcome": pa.array(
            [
                None if u else _OUTCOMES[o]
                for u, o in zip(undecided.tolist(), outcome.tolist(), strict=True)
            ],
            pa.string(),
        ),
    }


def _amounts(rng: np.random.Generator, items: list[Item]) -> pa.Array:
    has = np.array([i.category in _AMOUNT_CATEGORIES for i in items], dtype=bool)
    values = np.round(rng.lognormal(8.5, 1.4, len(items)), 2)
    return pa.array(values, mask=~has)


def records_of_bucket(
    subjects: Subjects, bucket: int, spec: RecordSpec, cats: CatalogueMap
) -> pa.Table:
    """Every record of the bucket's subjects, grouped by subject."""
    rng = np.random.default_rng([spec.seed, 3, bucket])
    owner, items = _draw_items(rng, subjects, spec, cats)
    life = _lifecycle(rng, items, spec)
    years = pc.year(life["decided_on"]).to_numpy()
    codes = [i.code for i in items]
    columns: dict[str, pa.Array | list[str | None]] = {
        "id": [f"r{bucket:05d}-{k:08d}" for k in range(len(items))],
        "subject": [subjects.ids[o] for o in owner.tolist()],
        "item": codes,
        "authority": [i.authority or "Synthetic agency" for i in items],
        "reference": [
            f"{c}/{y}/{k}" for k, (c, y) in enumerate(zip(codes, years.tolist(), strict=True))
        ],
        "amount": _amounts(rng, items),
        **life,
        "identifier_kind": declared_kinds(np.asarray(subjects.is_person, bool)[owner]),
    }
    return pa.table(columns, schema=DECLARED_SCHEMA)
