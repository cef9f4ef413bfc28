"""Lawful policies that contain sensitive words load cleanly: the text screening does not refuse
a regulator's record about an organisation, nor a real reward, because a word appears in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcredit.policy import check_files, load_policies
from socialcredit.policy.screening import screen

ROOT = Path(__file__).resolve().parents[1]
ACCEPTED = ROOT / "policies" / "accepted"
FILES = sorted(p.name for p in ACCEPTED.glob("*.yaml"))

#: A sensitive word each accepted file contains, which the screening would refuse in an item
#: about a person (so the file proves the net is not a word list).
SENSITIVE = {
    "restaurant-health-inspection.yaml": "health",
    "religious-body-annual-report.yaml": "religious",
    "game-publisher-licence.yaml": "minors",
    "kindergarten-canteen.yaml": "children",
    "trade-union-funds.yaml": "trade union",
    "gm-food-labelling.yaml": "转基因",
    "hospital-pharmacy.yaml": "medical",
    "exemplary-residents.yaml": "blood",
    "facial-data-and-doctor-licence.yaml": "facial recognition",
}


def test_every_accepted_file_is_in_the_table() -> None:
    assert sorted(SENSITIVE) == FILES
    assert len(FILES) >= 9


@pytest.mark.parametrize("name", FILES)
def test_accepted_policy_loads_alone(name: str) -> None:
    path = ACCEPTED / name
    assert SENSITIVE[name].lower() in path.read_text(encoding="utf-8").lower()
    loaded = load_policies([path])
    assert len(loaded.policies) == 1
    assert loaded.items


def test_accepted_policies_load_together_and_with_the_examples() -> None:
    _, problems = check_files(sorted(ACCEPTED.glob("*.yaml")))
    assert [p.render() for p in problems] == []
    loaded = load_policies([ACCEPTED, ROOT / "policies" / "examples"])
    assert len(loaded.policies) == len(FILES) + 4


@pytest.mark.parametrize(
    "word",
    ["health", "religious", "children", "trade union", "medical", "facial recognition", "dating"],
)
def test_the_same_words_are_refused_about_persons(word: str) -> None:
    hits = screen(f"Resident's {word} record", ["personal"])
    assert [h.term.principle for h in hits] == ["P2"]


def test_exemplary_residents_reward_is_data() -> None:
    loaded = load_policies([ACCEPTED / "exemplary-residents.yaml"])
    measures = {m.id: m for memo in loaded.memoranda.values() for m in memo.measures}
    fare = measures["exemplary-half-fare"]
    assert (fare.base, fare.effect, fare.discount_percent) == (
        "BM-TRANSIT-FARE-DISCOUNT",
        "benefit",
        50,
    )
    assert loaded.services["transit-fare"].domain == "public_transport"
    rental = measures["exemplary-deposit-free-rental"]
    assert rental.base == "BM-DEPOSIT-FREE-RENTAL"
    assert loaded.lists["exemplary-residents"].kind == "red"
