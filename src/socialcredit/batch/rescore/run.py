"""``rescore``: export, batch-assess and write back a registry, bucket by bucket."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from socialcredit.batch.options import BatchOptions
from socialcredit.batch.rescore.export import export_records
from socialcredit.batch.rescore.writeback import Bucket, Expected, write_bucket
from socialcredit.batch.run import assess_dataset
from socialcredit.errors import InputError
from socialcredit.registry import Actor, Registry

Advance = Callable[[int], None]


@dataclass(frozen=True)
class RescoreOptions:
    work: Path | None = None
    """Directory for the export and the batch outputs (kept); default: a temporary one."""
    bucket_size: int = 50_000
    """Subjects per bucket: the unit of memory and of transactions."""
    memory_limit: str = "3GB"


@dataclass(frozen=True)
class RescoreReport:
    records: int
    subjects: int
    buckets: int
    engine_fallbacks: int


@dataclass(frozen=True)
class Stages:
    """Progress callbacks: a stage's name with its total (None: unknown), then advances."""

    start: Callable[[str, int | None], None]
    advance: Advance


def _quiet() -> Stages:
    return Stages(lambda _name, _total: None, lambda _n: None)


def _run(
    reg: Registry, actor: Actor, options: RescoreOptions, work: Path, stages: Stages
) -> RescoreReport:
    with reg.session() as session:
        active, day = reg.policies(session), reg.state(session).as_of
    stages.start("exporting records", None)
    export = export_records(reg, work / "records", options.bucket_size, stages.advance)
    if not export.records:
        return RescoreReport(0, 0, 0, 0)
    stages.start("assessing buckets", len(export.paths))
    batch = BatchOptions(work / "records", work / "out", day, memory_limit=options.memory_limit)
    assess_dataset(active.policy_set, batch, lambda done, _total: stages.advance(1))
    expected = Expected(active.hashes, day, export.last_event, actor, reg.settings.chunk_size)
    stages.start("writing back", len(export.paths))
    subjects = fallbacks = 0
    for number, path in sorted(export.paths.items()):
        bucket = Bucket(f"{number:05d}", path, batch.out)
        written, engine = write_bucket(reg, bucket, expected)
        subjects, fallbacks = subjects + written, fallbacks + engine
        stages.advance(1)
    return RescoreReport(export.records, subjects, len(export.paths), fallbacks)


def rescore(
    reg: Registry, actor: Actor, options: RescoreOptions, stages: Stages | None = None
) -> RescoreReport:
    """Recompute every subject's stored assessment with the batch scorer."""
    if options.work is not None:
        if options.work.exists():
            raise InputError(
                f"work directory {options.work} exists: choose a new one (nothing is overwritten)",
                {"path": str(options.work)},
            )
        options.work.mkdir(parents=True)
        return _run(reg, actor, options, options.work, stages or _quiet())
    with tempfile.TemporaryDirectory(prefix="socialcredit-rescore-") as tmp:
        return _run(reg, actor, options, Path(tmp), stages or _quiet())
