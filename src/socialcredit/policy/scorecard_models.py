"""The scorecard block of a score model: characteristics, bins, points and their scaling.

A scorecard is how credit bureaus publish a score: a few characteristics computed from the
subject's own admissible records, each cut into bins with explicit edges (and a bin for a
missing value), each bin worth a number of points. The score is the model's ``base`` plus the
points of the bin each characteristic falls in, clamped to ``min``..``max``. The scaling says
what a score means in odds: at ``score`` the odds of a good outcome are ``odds`` to 1, and every
``pdo`` points double them. The checks on a scorecard are in ``scorecard_checks``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from socialcredit.policy.durations import PolicyDuration
from socialcredit.policy.vocabulary import Polarity

CardCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", strip_whitespace=True)
]
CardText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

CHARACTERISTIC_KINDS: dict[str, str] = {
    "count": "the number of selected records counting on the day (within `window` if given)",
    "months_since_last": "whole months since the decision date of the last selected record "
    "counting on the day (missing if there is none)",
    "share_performed": "per cent (rounded down) of the selected records counting on the day whose "
    "obligation is performed (resolved) by the day (missing if there is none)",
    "amount_in_arrears": "the sum of the amounts (each in whole yuan, rounded down) of the "
    "selected records counting on the day whose obligation is not yet performed (not resolved)",
    "tenure_months": "whole months since the decision date of the first selected record "
    "counting on the day (missing if there is none)",
}
"""The only things a characteristic may compute: each from the subject's own counting records."""

MAY_BE_MISSING = frozenset({"months_since_last", "share_performed", "tenure_months"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selection(_Strict):
    """Which records a characteristic looks at: items by code, by base entry or by category
    (any of them), optionally of one polarity. Nothing named: every record."""

    items: list[CardCode] = Field(default_factory=list, description="Policy item codes.")
    bases: list[CardCode] = Field(default_factory=list, description="Base catalogue entries.")
    categories: list[CardCode] = Field(default_factory=list, description="Item categories.")
    polarity: Polarity | None = None


class Bin(_Strict):
    """Values ``at_least`` <= value < ``below`` (either bound may be left open), or the bin of
    a missing value (``missing: true``, no bounds)."""

    at_least: int | None = None
    below: int | None = None
    missing: bool = False
    points: int

    def label(self) -> str:
        if self.missing:
            return "missing"
        if self.at_least is None:
            return f"< {self.below}" if self.below is not None else "any"
        if self.below is None:
            return f">= {self.at_least}"
        if self.below == self.at_least + 1:
            return str(self.at_least)
        return f"{self.at_least} to {self.below - 1}"

    def contains(self, value: int | None) -> bool:
        if value is None or self.missing:
            return value is None and self.missing
        low_ok = self.at_least is None or value >= self.at_least
        return low_ok and (self.below is None or value < self.below)


class Characteristic(_Strict):
    id: CardCode
    title: CardText
    reason: CardText = Field(
        description="The reason given when this characteristic keeps the score down."
    )
    kind: str = Field(description="What is computed: " + ", ".join(CHARACTERISTIC_KINDS) + ".")
    records: Selection = Field(default_factory=Selection)
    window: PolicyDuration | None = Field(
        default=None, description="count: only records decided within this long before the day."
    )
    monotonic: Literal["increasing", "decreasing", "none"] = Field(
        default="none", description="Points never fall (increasing) or never rise (decreasing)."
    )
    bins: list[Bin] = Field(min_length=1)

    def max_points(self) -> int:
        return max(b.points for b in self.bins)

    def min_points(self) -> int:
        return min(b.points for b in self.bins)


class Scaling(_Strict):
    """At ``score`` the odds of a good outcome are ``odds`` to 1; ``pdo`` points double them."""

    score: int
    odds: float = Field(gt=0)
    pdo: int = Field(gt=0, description="Points to double the odds.")


class Scorecard(_Strict):
    scaling: Scaling
    characteristics: list[Characteristic] = Field(min_length=1)
    reasons_shown: int = Field(
        default=4, ge=1, le=10, description="How many reasons a score comes with."
    )
