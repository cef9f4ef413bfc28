"""``socialcredit init`` and ``socialcredit db upgrade``: create and migrate a registry."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from socialcredit.cli.output import reported_errors, stdout
from socialcredit.cli.registry_common import ActorOpt, DbOpt, actor_of, opened
from socialcredit.registry import initialise
from socialcredit.registry.store.schema import current_revision, upgrade
from socialcredit.registry.workflows.policies import load_policy_files

app = typer.Typer(help="Database schema of the registry.", no_args_is_help=True)

InitPolicyOpt = Annotated[
    list[Path] | None,
    typer.Option("--policy", "-p", help="Policy file or directory to load (repeatable)."),
]
InitDateOpt = Annotated[
    datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="The registry's first date (today)."),
]


@app.command("upgrade")
def db_upgrade(db: DbOpt = None) -> None:
    """Apply the packaged migrations to the database."""
    with reported_errors(), opened(db, initialised=False) as registry:
        upgrade(registry.engine)
        stdout().print(f"database at revision {current_revision(registry.engine)}", markup=False)


def init_command(
    db: DbOpt = None,
    policy: InitPolicyOpt = None,
    as_of: InitDateOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Create a registry (migrations, state) and load policies (default: policies/examples)."""
    paths = policy if policy else [p for p in [Path("policies/examples")] if p.is_dir()]
    out = stdout()
    with reported_errors(), opened(db, initialised=False) as registry:
        day = as_of.date() if as_of else date.today()
        created = initialise(registry, day)
        out.print("registry created" if created else "registry already exists", markup=False)
        if paths:
            who = actor_of(actor, "operator", "load policies")
            for loaded in load_policy_files(registry, paths, who):
                state = "loaded" if loaded.changed else "unchanged"
                out.print(f"{state}  {loaded.policy_id} {loaded.version}", markup=False)
