"""Options and helpers shared by the registry commands: ``--db``, the actor, progress bars."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from socialcredit.cli.output import stderr
from socialcredit.errors import NotFoundError
from socialcredit.registry import Actor, Registry, RegistrySettings
from socialcredit.registry.context import is_initialised

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $SOCIALCREDIT_DATABASE_URL, else a SQLite file)."
    ),
]
ActorOpt = Annotated[
    str | None, typer.Option("--actor", help="Who acts, for the audit log (default: OS user).")
]
RoleOpt = Annotated[str, typer.Option("--role", help="The actor's role, for the audit log.")]
PurposeOpt = Annotated[
    str, typer.Option("--purpose", help="Why the data is read or written, for the audit log.")
]
DateOpt = Annotated[datetime, typer.Option("--as-of", formats=["%Y-%m-%d"], help="YYYY-MM-DD.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def actor_of(name: str | None, role: str, purpose: str) -> Actor:
    return Actor(name or getpass.getuser(), role, purpose)


@contextmanager
def opened(db: str | None, initialised: bool = True) -> Iterator[Registry]:
    """The registry at ``db``; unless ``initialised`` is False, it must have been created."""
    registry = Registry.open(RegistrySettings.resolve(db))
    try:
        if initialised and not is_initialised(registry):
            raise NotFoundError(
                "this database holds no registry: run `socialcredit init` first",
                {"database": registry.engine.url.render_as_string(hide_password=True)},
            )
        yield registry
    finally:
        registry.close()


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar on standard error; yields the ``advance(n)`` callback."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr(), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def as_date(value: datetime | None) -> date | None:
    return None if value is None else value.date()
