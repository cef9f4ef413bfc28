"""The ``socialcredit`` command: the Typer application and its entry point.

Commands are named here and imported when used (see ``lazy.py``): ``socialcredit version`` does
not pay for the registry, DuckDB, matplotlib or FastAPI.
"""

from __future__ import annotations

import typer

from socialcredit.cli.lazy import lazy_group

_CLI = "socialcredit.cli"

#: Every top-level command or group, in the order ``--help`` lists them, and where it lives.
COMMANDS = {
    "policy": f"{_CLI}.policy_cmd:app",
    "catalogue": f"{_CLI}.catalogue_cmd:catalogue_command",
    "assess": f"{_CLI}.assess_cmd:assess_command",
    "synth": f"{_CLI}.synth_cmd:synth_command",
    "batch": f"{_CLI}.batch_cmd:app",
    "sim": f"{_CLI}.sim_cmd:app",
    # the registry
    "init": f"{_CLI}.db_cmd:init_command",
    "db": f"{_CLI}.db_cmd:app",
    "records": f"{_CLI}.records_cmd:app",
    "links": f"{_CLI}.links_cmd:app",
    "subject": f"{_CLI}.subject_cmd:app",
    "check": f"{_CLI}.subject_cmd:check_command",
    "audit": f"{_CLI}.audit_cmd:app",
    "registry": f"{_CLI}.registry_cmd:app",
    "feeds": f"{_CLI}.feeds_cmd:app",
    # the HTTP API
    "principal": f"{_CLI}.principal_cmd:app",
    "serve": f"{_CLI}.serve_cmd:serve_command",
    "version": f"{_CLI}.version_cmd:version_command",
}

app = typer.Typer(
    name="socialcredit",
    help="An explainable, contestable and auditable social credit system (see docs/).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=lazy_group(COMMANDS),
)


@app.callback()
def root() -> None:
    """A callback makes the application a group although no command is registered on it
    directly: they all come from ``COMMANDS``."""


def main() -> None:
    app()
