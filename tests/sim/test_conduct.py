"""The conduct sampler draws each subject's record with exactly its monthly probability."""

from __future__ import annotations

import math

import numpy as np
import pytest

from socialcredit.sim.lab.conduct import Conducts, Month, new_records


@pytest.mark.parametrize("deterrence", [0.4, 1.0, 2.5])
def test_records_per_item_and_group_agree_with_the_hazards(deterrence: float) -> None:
    rng = np.random.default_rng(8)
    size = 200_000
    hazards = np.vstack(
        [rng.gamma(0.6, 1 / 0.6, size) * 0.002, np.full(size, 0.01), np.zeros(size)]
    )
    top = hazards.max(axis=1)
    model = Conducts(hazards, deterrence, np.minimum(top * max(deterrence, 1.0), 1.0))
    listed = rng.random(size) < 0.3
    multiplier = np.where(listed, deterrence, 1.0)
    item, subject, decided = new_records(rng, model, multiplier, Month(0, 100, 130))
    assert np.all(np.diff(subject) >= 0) and decided.min() >= 100 and decided.max() <= 130
    assert len(set(zip(item.tolist(), subject.tolist(), strict=True))) == len(item)
    chance = np.minimum(hazards * np.where(listed, deterrence, 1.0), 1.0)
    for i in range(3):
        for group in (listed, ~listed):
            found = int(((item == i) & group[subject]).sum())
            expected = float(chance[i, group].sum())
            sd = math.sqrt(float((chance[i, group] * (1 - chance[i, group])).sum()))
            assert abs(found - expected) <= 4 * sd + 1e-9, (i, found, expected, sd)
