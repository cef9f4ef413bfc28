"""The ``socialcredit`` command: the Typer application and its entry point."""

from __future__ import annotations

import typer

from socialcredit import __version__
from socialcredit.cli import (
    assess_cmd,
    audit_cmd,
    batch_cmd,
    db_cmd,
    diff_cmd,
    policy_cmd,
    principal_cmd,
    records_cmd,
    registry_cmd,
    rescore_cmd,
    serve_cmd,
    subject_cmd,
    synth_cmd,
)

app = typer.Typer(
    name="socialcredit",
    help="An explainable, contestable and auditable social credit system (see docs/).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(policy_cmd.app, name="policy")
policy_cmd.app.command("diff")(diff_cmd.diff_command)
app.command("assess")(assess_cmd.assess_command)
app.command("synth")(synth_cmd.synth_command)
app.add_typer(batch_cmd.app, name="batch")
# the registry (issue 3)
policy_cmd.app.command("load")(registry_cmd.policy_load)
app.command("init")(db_cmd.init_command)
app.add_typer(db_cmd.app, name="db")
app.add_typer(records_cmd.app, name="records")
app.add_typer(subject_cmd.app, name="subject")
app.command("check")(subject_cmd.check_command)
app.add_typer(audit_cmd.app, name="audit")
app.add_typer(registry_cmd.app, name="registry")
registry_cmd.app.command("rescore")(rescore_cmd.rescore_command)
# the HTTP API (issue 4)
app.add_typer(principal_cmd.app, name="principal")
app.command("serve")(serve_cmd.serve_command)


@app.command("version")
def version() -> None:
    """Print the version of socialcredit."""
    typer.echo(__version__)


def main() -> None:
    app()
