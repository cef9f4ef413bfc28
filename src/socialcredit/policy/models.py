"""The authored policy format: one YAML file per policy, validated by these models.

Every model forbids unknown keys, so a typo fails loudly. Fields whose absence breaks a
principle (legal basis, notice period, nexus, exit rules...) are optional here on purpose: the
safeguards refuse them with the principle named, which says more than "field required".
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from socialcredit.policy.durations import PolicyDuration
from socialcredit.policy.scorecard_models import Scorecard
from socialcredit.policy.vocabulary import Area, Polarity, Severity

Code = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", strip_whitespace=True)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SubjectKindName = Literal["person", "organisation"]
Effect = Literal["deny", "restrict", "benefit"]
Term = PolicyDuration | Literal["until_resolved"]
BOTH_KINDS: list[SubjectKindName] = ["person", "organisation"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicyHeader(Strict):
    """Who publishes the policy, its version, and its due-process deadlines."""

    id: Code
    version: Text
    title: Text
    authority: Text
    published_on: date | None = None
    description: str = ""
    objection_review_days: int = Field(
        description="Days a reviewer has to decide an objection (1 to 90, principle 9)."
    )
    objection_review_in: Literal["days", "working_days"] = Field(
        default="days",
        description="How objection_review_days are counted: calendar days, or working days on "
        "the official Chinese calendar (holidays and make-up working days).",
    )


class Service(Strict):
    """A place where a consequence is checked (flight booking, loan application...)."""

    id: Code
    title: Text
    base: Code | None = Field(default=None, description="The base service it rests on.")
    domain: Code = Field(description="The sector of its base service (transport, finance...).")
    description: str = ""


class Disclosure(Strict):
    tier: Literal["public", "restricted", "subject_only"] = Field(
        description="public: anyone; restricted: authorised agencies and services; "
        "subject_only: the subject and the registry."
    )
    period: PolicyDuration = Field(description="How long the record is disclosed.")


class Item(Strict):
    """A catalogue entry: the only kind of thing that can be recorded."""

    code: Code
    base: Code | None = Field(default=None, description="The base catalogue entry it narrows.")
    title: Text
    description: str = ""
    area: Area
    subject_kinds: list[SubjectKindName] = Field(min_length=1)
    category: str = Field(description="One of the admissible categories (principle 2).")
    polarity: Polarity
    severity: Severity
    points: dict[Code, int] = Field(default_factory=dict, description="Points per score model.")
    notice_days: int | None = Field(default=None, ge=0, le=365)
    counts_for: PolicyDuration
    disclosure: Disclosure
    legal_basis: str | None = None
    authority: str | None = Field(
        default=None, description="The agency that submits the records (its registry name)."
    )
    authority_kind: str | None = Field(
        default=None, description="One of the base entry's authority kinds (principle 3)."
    )
    on_resolution: Literal["stop_counting", "keep_counting"] = "stop_counting"


class GradeBand(Strict):
    grade: Text
    min: int | None = None
    max: int | None = None


class ScoreModel(Strict):
    id: Code
    title: Text
    description: str = ""
    domain: Code
    subject_kinds: list[SubjectKindName] = Field(min_length=1)
    base: int
    min: int
    max: int
    grades: list[GradeBand] = Field(min_length=1)
    scorecard: Scorecard | None = Field(
        default=None,
        description="Characteristics, bins and points; the items then give no points to it.",
    )

    @model_validator(mode="after")
    def _bounds(self) -> ScoreModel:
        if not self.min <= self.base <= self.max:
            raise ValueError(f"base {self.base} must lie between min {self.min} and max {self.max}")
        return self


class ScoreCondition(Strict):
    """A condition on one score: its grade is one of ``grades``, or its value >= ``min_value``."""

    model: Code
    grades: list[Text] | None = None
    min_value: int | None = None

    @model_validator(mode="after")
    def _one_condition(self) -> ScoreCondition:
        if (self.grades is None) == (self.min_value is None):
            raise ValueError("a score condition names either grades or min_value, not both")
        return self


class ItemEntry(Strict):
    item: Code
    term: Term = Field(description="How long one record keeps the subject listed.")


class ListEntry(Strict):
    items: list[ItemEntry] = Field(default_factory=list)
    score: ScoreCondition | None = None
    excluded_by: list[Code] = Field(
        default_factory=list, description="Red lists: never while on one of these lists."
    )

    @model_validator(mode="after")
    def _not_empty(self) -> ListEntry:
        if not self.items and self.score is None:
            raise ValueError("an entry rule names catalogue items or a score condition")
        return self


class Repair(Strict):
    procedure: Text
    decision_days: int = Field(ge=1, le=90, description="Days to decide a repair application.")
    decision_in: Literal["days", "working_days"] = Field(
        default="days",
        description="How decision_days are counted: calendar days, or working days on the "
        "official Chinese calendar.",
    )


class ExitCondition(Strict):
    """One way out of a list: a condition from the closed set, and its wording."""

    when: str = Field(
        description="obligation_performed, term_elapsed, decision_revoked or repair_granted."
    )
    text: Text


class ListDef(Strict):
    id: Code
    kind: Literal["red", "black", "watch"]
    title: Text
    description: str = ""
    legal_basis: str | None = None
    authority: str | None = None
    entry: ListEntry
    max_duration: PolicyDuration | None = None
    exit: list[ExitCondition] = Field(default_factory=list, description="Exit conditions.")
    repair: Repair | None = None
    public: bool = Field(
        default=False, description="Members are disclosed publicly (the legal basis says so)."
    )


class Measure(Strict):
    id: Code
    base: Code | None = Field(default=None, description="The base measure it narrows.")
    services: list[Code] = Field(min_length=1)
    effect: Effect
    description: str = ""
    legal_basis: str | None = None
    agency: str | None = None
    nexus: str | None = None
    subject_kinds: list[SubjectKindName] = Field(default_factory=lambda: list(BOTH_KINDS))
    targets: list[str] = Field(
        default_factory=lambda: ["subject"],
        description="subject, or for organisations the roles the base measure names.",
    )
    discount_percent: int | None = Field(
        default=None, description="A fare discount's size, at most the base measure's."
    )


class Memorandum(Strict):
    id: Code
    title: Text
    description: str = ""
    signatories: list[Text] = Field(default_factory=list)
    list_id: Code | None = Field(default=None, alias="list")
    score: ScoreCondition | None = None
    measures: list[Measure] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_trigger(self) -> Memorandum:
        if (self.list_id is None) == (self.score is None):
            raise ValueError("a memorandum is tied to one list or (for benefits) one score")
        return self


class PolicyFile(Strict):
    """One policy, as written in one YAML file."""

    policy: PolicyHeader
    services: list[Service] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    score_models: list[ScoreModel] = Field(default_factory=list)
    lists: list[ListDef] = Field(default_factory=list)
    memoranda: list[Memorandum] = Field(default_factory=list)
