"""A service provider's side of a feed, for the feed tests: its principal, and the list it
keeps by applying changes."""

from __future__ import annotations

from typing import Any

from socialcredit.registry import Actor, Registry
from socialcredit.registry.reads.checks import check
from socialcredit.registry.reads.feed import Provider
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from socialcredit.registry.writes.feedlog import view
from tests.registry.conftest import OPERATOR

Kept = dict[tuple[str, str], tuple[str, list[dict[str, Any]]]]


def service_provider(reg: Registry, name: str, *services: str) -> tuple[Provider, Actor]:
    row, _ = create_principal(reg, PrincipalSpec(name, "service", services=services), OPERATOR)
    return Provider(row.id, frozenset(services)), Actor(f"principal:{row.id}:{name}", "service")


def apply(kept: Kept, changes: list[dict[str, Any]]) -> None:
    """What a provider does with changes, in order: keep entries and updates, drop exits."""
    for change in changes:
        key = (change["subject"], change["service"])
        if change["change"] == "exit":
            kept.pop(key, None)
        else:
            kept[key] = (change["effect"], change["reasons"])


def checked(reg: Registry, subjects: list[str], services: list[str]) -> Kept:
    """What the point-of-service check says, for each subject and service that it restricts,
    as a feed shows it."""
    found: Kept = {}
    for subject in subjects:
        for service in services:
            shown = view(check(reg, subject, service, OPERATOR).decision)
            if shown is not None:
                found[(subject, service)] = shown
    return found
