"""What a check reports before it is located in a file: a path, a rule and a message."""

from __future__ import annotations

from dataclasses import dataclass

from socialcredit.policy.yamlsource import PathKey

PRINCIPLES: dict[str, str] = {
    "P1": "closed catalogue",
    "P2": "admissible matters only",
    "P3": "negatives rest on a document",
    "P4": "notice before effect",
    "P5": "restrictions need a list and a nexus",
    "P6": "proportion and time limits",
    "P7": "only the subject",
    "P8": "a way out",
    "P9": "contestable",
    "P13": "minors are protected",
}
"""Principle ids used as rules in error messages (design.md section 2)."""


@dataclass(frozen=True)
class Finding:
    loc: PathKey
    rule: str
    message: str


def breach(loc: PathKey, principle: str, message: str) -> Finding:
    """A finding against a principle; the message is prefixed with the principle's name."""
    return Finding(loc, principle, f"{PRINCIPLES[principle]}: {message}")
