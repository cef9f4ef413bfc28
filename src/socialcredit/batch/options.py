"""Options of a batch run, shared by the executors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from socialcredit.errors import SocialCreditError

Progress = Callable[[int, int], None]
DebugSink = Callable[[str, str, int, float], None]
"""Called with (partition, step, rows, seconds the step took) when debugging."""


@dataclass(frozen=True)
class BatchOptions:
    records: Path
    out: Path
    as_of: date
    skip_invalid: bool = False
    memory_limit: str = "3GB"
    threads: int = 2
    max_errors: int = 20
    """How many rejected rows an error message lists (all are counted)."""
    links: Path | None = None
    """Parquet links between organisations and persons (``batch.linkinput``), if any."""


class BatchError(SocialCreditError):
    """A batch run failed for a reason other than its input (an executor error)."""

    code = "batch-failed"
