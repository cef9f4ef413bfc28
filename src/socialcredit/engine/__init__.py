"""The pure evaluation engine: records + policies + date -> assessment, with explanations."""

from socialcredit.engine.assess import assess
from socialcredit.engine.assessment import Assessment, LinkState, RecordState
from socialcredit.engine.changes import assess_with_next_change, change_dates, next_change_after
from socialcredit.engine.links import LINK_FIELDS, Link, LinkSource, LinkStatus
from socialcredit.engine.linkvalidation import CheckedLink, validate_link
from socialcredit.engine.records import (
    INPUT_FIELDS,
    RECORD_FIELDS,
    DisputeOutcome,
    NoticeState,
    Record,
)
from socialcredit.engine.validation import Checked, validate_record

__all__ = [
    "INPUT_FIELDS",
    "LINK_FIELDS",
    "RECORD_FIELDS",
    "Assessment",
    "Checked",
    "CheckedLink",
    "DisputeOutcome",
    "Link",
    "LinkSource",
    "LinkState",
    "LinkStatus",
    "NoticeState",
    "Record",
    "RecordState",
    "assess",
    "assess_with_next_change",
    "change_dates",
    "next_change_after",
    "validate_link",
    "validate_record",
]
