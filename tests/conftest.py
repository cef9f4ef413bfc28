"""Shared, read-only fixtures: paths and loaded policies (policies are immutable); the test
tiers (markers) and Hypothesis's profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from socialcredit.policy import PolicySet, load_policies

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def lab_policy() -> PolicySet:
    return load_policies([FIXTURES / "policies" / "lab.yaml"])


@pytest.fixture(scope="session")
def court_policy() -> PolicySet:
    """The courts' example policy, whose consumption restrictions reach linked persons."""
    return load_policies([ROOT / "policies" / "examples" / "judgment-defaulters.yaml"])


# Hypothesis: random examples while developing; in CI (``CI`` set) the same examples every run,
# so a failure there is reproducible and a green run is not luck.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev")
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# A test marked for one database runs only on that database's instance of the ``db_url``
# fixture (the registry and API suites run every other test on both).
_DATABASES = {"postgres": "postgresql", "sqlite": "sqlite"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        database = None if callspec is None else callspec.params.get("db_url")
        wanted = {_DATABASES[m.name] for m in item.iter_markers() if m.name in _DATABASES}
        (dropped if wanted and database is not None and database not in wanted else kept).append(
            item
        )
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
