"""Agency files to records: readers, validation against the policy, per-line problems."""

from socialcredit.ingest.files import LineProblem, RecordBatch, read_records

__all__ = ["LineProblem", "RecordBatch", "read_records"]
