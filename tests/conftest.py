"""Shared, read-only fixtures: paths and loaded policies (policies are immutable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcredit.policy import PolicySet, load_policies

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def lab_policy() -> PolicySet:
    return load_policies([FIXTURES / "policies" / "lab.yaml"])
