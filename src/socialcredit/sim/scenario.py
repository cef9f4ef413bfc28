"""The scenario format of the simulation lab: pydantic models that forbid unknown keys.

A scenario names a population, the policies in force (and their changes at given months), a
horizon, a seed and four models: conduct, data errors, due process and service use. Every
rate is a probability in [0, 1] or a non-negative mean; ``docs/simulation.md`` describes
each key. :mod:`socialcredit.sim.scenario_loader` reads and cross-checks a file.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

Rate = Annotated[float, Field(ge=0.0, le=1.0)]
"""A probability."""
Mean = Annotated[float, Field(ge=0.0)]
"""A non-negative mean (of a count or of days)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Header(Strict):
    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    description: str = ""


class Population(Strict):
    """Subjects drawn by ``synth``'s generator: real county codes, sectors, ages 18-90."""

    persons: int = Field(ge=0)
    organisations: int = Field(ge=0)


class PolicyChange(Strict):
    """From ``month`` on (0 is the first month), the policy set is these files."""

    month: int = Field(ge=0)
    policies: list[str] = Field(min_length=1)


class Hazard(Strict):
    """Monthly probability of a new record of ``item`` for an average subject of each kind."""

    item: str
    person: Rate = 0.0
    organisation: Rate = 0.0


class Multipliers(Strict):
    """Hazard multipliers by subject characteristics (a missing group: 1)."""

    province: dict[str, Mean] = Field(default_factory=dict)
    sector: dict[str, Mean] = Field(default_factory=dict)
    age_band: dict[str, Mean] = Field(default_factory=dict)


class ScoreBand(Strict):
    """Hazard multiplier while the subject's score in ``model`` is below ``below``."""

    model: str
    below: int
    multiplier: Mean


class Deterrence(Strict):
    """Hazard multiplier while the subject is on a black list (1: no response), and
    optionally while its score is in a low band (the black list's multiplier wins)."""

    listed: Mean = 1.0
    score: ScoreBand | None = None


class Compliance(Strict):
    """Monthly probability that a subject performs an open obligation (resolving the record)."""

    monthly: Rate = 0.0


class Conduct(Strict):
    hazards: list[Hazard] = Field(min_length=1)
    multipliers: Multipliers = Field(default_factory=Multipliers)
    deterrence: Deterrence = Field(default_factory=Deterrence)
    compliance: Compliance = Field(default_factory=Compliance)
    notice_delay_days: int = Field(default=5, ge=0, le=60)
    """Days from a decision to its served notice, when the notice is on time."""


class AgencyErrors(Strict):
    """How one agency's records go wrong (``agency``: an item's ``authority``)."""

    agency: str
    misattribution: Rate = 0.0
    """Filed under another subject's valid identifier."""
    duplicate: Rate = 0.0
    """Filed twice under two record ids."""
    late_notice: Rate = 0.0
    late_notice_days: int = Field(default=30, ge=1, le=365)
    failed_notice: Rate = 0.0
    """The notice is never served (the record never takes effect)."""
    unlinked: Rate = 0.0
    """Filed under a legacy code that links to no subject (the record is lost)."""


class Objections(Strict):
    """Probability that the subject objects to a record that is wrong, or right."""

    wrong: Rate = 0.0
    right: Rate = 0.0


class Reviewers(Strict):
    """Reviewers of one authority; each review takes an exponential time of this mean."""

    authority: str
    reviewers: int = Field(ge=1)
    mean_review_days: float = Field(gt=0.0)


class Repairs(Strict):
    """Credit repair applications by subjects on a list with a repair procedure."""

    monthly: Rate = 0.0
    """Probability per month that a listed subject with no application pending applies."""
    granted: Rate = 1.0
    """Probability that the reviewer finds the list's repair procedure met."""


class DueProcess(Strict):
    objections: Objections = Field(default_factory=Objections)
    reviewers: list[Reviewers] = Field(default_factory=list)
    repairs: Repairs = Field(default_factory=Repairs)


class ServiceUse(Strict):
    """Mean attempts per subject per month at ``service`` (Poisson)."""

    service: str
    person: Mean = 0.0
    organisation: Mean = 0.0


class Scenario(Strict):
    scenario: Header
    seed: int = Field(ge=0)
    start: date
    horizon_months: int = Field(ge=1, le=600)
    replicates: int = Field(default=1, ge=1, le=100)
    population: Population
    policies: list[str] = Field(min_length=1)
    changes: list[PolicyChange] = Field(default_factory=list)
    conduct: Conduct
    data_errors: list[AgencyErrors] = Field(default_factory=list)
    due_process: DueProcess = Field(default_factory=DueProcess)
    service_use: list[ServiceUse] = Field(default_factory=list)


def scenario_json_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://socialcredit.invalid/schema/scenario.schema.json",
        **schema,
    }


def scenario_json_schema_text() -> str:
    """The schema as committed in ``schema/scenario.schema.json`` (``make schema`` writes it)."""
    return json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
