"""The declarative policy model, its two-phase loader and the safeguards (pure layer)."""

from socialcredit.policy.loader import check_files, expand_paths, load_policies
from socialcredit.policy.models import PolicyFile
from socialcredit.policy.policyset import BoundMeasure, PolicyInfo, PolicySet

__all__ = [
    "BoundMeasure",
    "PolicyFile",
    "PolicyInfo",
    "PolicySet",
    "check_files",
    "expand_paths",
    "load_policies",
]
