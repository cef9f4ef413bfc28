"""``socialcredit registry rescore``: recompute a registry's assessments with the batch scorer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialcredit.batch.rescore import RescoreOptions, rescore
from socialcredit.batch.rescore.run import Stages
from socialcredit.cli.batch_options import MemoryLimitOpt
from socialcredit.cli.output import reported_errors, stdout
from socialcredit.cli.progress import fraction_bar
from socialcredit.cli.registry_common import ActorOpt, DbOpt, actor_of, opened


def rescore_command(
    db: DbOpt = None,
    actor: ActorOpt = None,
    work: Annotated[
        Path | None,
        typer.Option("--work", help="New directory to keep the export and batch outputs in."),
    ] = None,
    bucket_size: Annotated[
        int, typer.Option("--bucket-size", min=1, help="Subjects per bucket and transaction.")
    ] = 50_000,
    memory_limit: MemoryLimitOpt = "3GB",
) -> None:
    """Recompute every stored assessment with the batch scorer (after a policy change)."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, "operator", "rescore after a policy change")
        options = RescoreOptions(work, bucket_size, memory_limit)
        with fraction_bar("starting") as bar:
            report = rescore(registry, who, options, Stages(bar.start, bar.advance))
    stdout().print(
        f"rescored {report.subjects} subjects ({report.records} records) in {report.buckets} "
        f"bucket(s); {report.engine_fallbacks} changed during the run and were assessed by "
        "the engine",
        markup=False,
    )
