"""The pure evaluation engine: records + policies + date -> assessment, with explanations."""

from socialcredit.engine.assess import assess
from socialcredit.engine.assessment import Assessment, RecordState
from socialcredit.engine.changes import assess_with_next_change, change_dates, next_change_after
from socialcredit.engine.orgcodes import Resolved, resolve_organisation_codes
from socialcredit.engine.records import (
    INPUT_FIELDS,
    RECORD_FIELDS,
    DisputeOutcome,
    NoticeState,
    Record,
    RepairCase,
)
from socialcredit.engine.validation import Checked, validate_record

__all__ = [
    "INPUT_FIELDS",
    "RECORD_FIELDS",
    "Assessment",
    "Checked",
    "DisputeOutcome",
    "NoticeState",
    "Record",
    "RecordState",
    "RepairCase",
    "Resolved",
    "assess",
    "assess_with_next_change",
    "change_dates",
    "next_change_after",
    "resolve_organisation_codes",
    "validate_record",
]
