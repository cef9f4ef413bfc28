"""Synthetic subjects of one bucket: persons and organisations with regions, sectors, sizes.

Subject ``i`` (persons ``0..N-1``, organisations ``0..M-1``) belongs to bucket ``i mod B``, so a
bucket is generated and written on its own (bounded memory) and holds every record of its
subjects. Each subject also gets a latent ``risk`` (how often negative records occur for it),
drawn from a heavy-tailed distribution: most subjects have few records, some many.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from socialcredit.sim.identities import ORG_TYPES, BirthRange, IntArray, credit_codes, resident_ids
from socialcredit.sim.regions import COUNTIES, PROVINCES

SECTORS = (
    "manufacturing",
    "wholesale_retail",
    "construction",
    "catering",
    "transport",
    "it_services",
    "real_estate",
    "finance",
    "agriculture",
)
SIZES = ("micro", "small", "medium", "large")
_SIZE_WEIGHTS = np.array([0.62, 0.28, 0.08, 0.02])
_TYPE_WEIGHTS = np.array([0.80, 0.10, 0.03, 0.03, 0.01, 0.03])
_TYPE_SECTOR = {"93": "agriculture", "51": "social_organisation", "52": "social_services"}
_TYPE_SECTOR_PUBLIC = "public_body"

SUBJECT_SCHEMA = pa.schema(
    [
        ("subject", pa.string()),
        ("kind", pa.string()),
        ("county", pa.string()),
        ("county_name", pa.string()),
        ("province", pa.string()),
        ("sector", pa.string()),
        ("size", pa.string()),
        ("birth_date", pa.date32()),
        ("risk", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Subjects:
    """The subjects of one bucket (persons first, then organisations)."""

    ids: list[str]
    is_person: np.ndarray
    province: IntArray
    risk: np.ndarray
    table: pa.Table


def bucket_indices(total: int, buckets: int, bucket: int) -> IntArray:
    return np.arange(bucket, total, buckets, dtype=np.int64)


_PROVINCE_OF_COUNTY: IntArray = np.array(
    [list(PROVINCES).index(c.province_code) for c in COUNTIES], dtype=np.int64
)
"""Each county's province, as an index into ``PROVINCES`` (the rows of the item weights)."""


def _sectors(rng: np.random.Generator, org_types: IntArray) -> list[str]:
    """The sector fixed by the entity type, or else a drawn one."""
    drawn = rng.integers(0, len(SECTORS), len(org_types))
    out = []
    for kind, sector in zip(org_types.tolist(), drawn.tolist(), strict=True):
        code = ORG_TYPES[kind]
        public = _TYPE_SECTOR_PUBLIC if code.startswith("1") else None
        out.append(_TYPE_SECTOR.get(code) or public or SECTORS[sector])
    return out


@dataclass(frozen=True)
class PopulationSpec:
    persons: int
    organisations: int
    buckets: int
    seed: int
    start: date


def subjects_of_bucket(spec: PopulationSpec, bucket: int) -> Subjects:
    rng = np.random.default_rng([spec.seed, 1, bucket])
    person_index = bucket_indices(spec.persons, spec.buckets, bucket)
    org_index = bucket_indices(spec.organisations, spec.buckets, bucket)
    births = BirthRange(date(spec.start.year - 90, 1, 1), date(spec.start.year - 18, 12, 31))
    person_ids, person_county, birth_days = resident_ids(person_index, births, spec.seed)
    org_types = rng.choice(len(ORG_TYPES), size=len(org_index), p=_TYPE_WEIGHTS)
    org_county = rng.integers(0, len(COUNTIES), len(org_index))
    org_ids = credit_codes(org_index, org_types, org_county, spec.seed)
    county = np.concatenate([person_county, org_county])
    n_persons, n_orgs = len(person_ids), len(org_ids)
    risk = rng.gamma(0.6, 1 / 0.6, n_persons + n_orgs)
    sizes = rng.choice(len(SIZES), size=n_orgs, p=_SIZE_WEIGHTS)
    table = pa.table(
        {
            "subject": person_ids + org_ids,
            "kind": ["person"] * n_persons + ["organisation"] * n_orgs,
            "county": [COUNTIES[c].code for c in county.tolist()],
            "county_name": [COUNTIES[c].name for c in county.tolist()],
            "province": [COUNTIES[c].province for c in county.tolist()],
            "sector": [None] * n_persons + _sectors(rng, org_types),
            "size": [None] * n_persons + [SIZES[s] for s in sizes.tolist()],
            "birth_date": pa.array(
                np.concatenate([birth_days, np.full(n_orgs, -1)]).astype("int32"),
                mask=np.arange(n_persons + n_orgs) >= n_persons,
            ).cast(pa.date32()),
            "risk": risk,
        },
        schema=SUBJECT_SCHEMA,
    )
    is_person = np.arange(n_persons + n_orgs) < n_persons
    return Subjects(person_ids + org_ids, is_person, _PROVINCE_OF_COUNTY[county], risk, table)
