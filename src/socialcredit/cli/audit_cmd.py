"""``socialcredit audit verify``: walk the hash chain and report the first broken link."""

from __future__ import annotations

import typer

from socialcredit.cli.output import EXIT_REFUSED, reported_errors, stderr, stdout
from socialcredit.cli.registry_common import DbOpt, opened, progress_bar
from socialcredit.registry.audit import verify

app = typer.Typer(help="The audit log's hash chain.", no_args_is_help=True)


@app.command("verify")
def verify_command(db: DbOpt = None) -> None:
    """Recompute every entry's hash; exit 1 at the first broken link."""
    with (
        reported_errors(),
        opened(db) as registry,
        registry.session() as session,
        progress_bar("verifying", None) as advance,
    ):
        report = verify(session, advance)
    if report.ok:
        stdout().print(f"audit chain intact: {report.checked} entries", markup=False)
        return
    stderr().print(
        f"audit chain broken at entry {report.broken_at}: {report.reason} "
        f"({report.checked} entries before it are intact)",
        style="bold red",
        markup=False,
    )
    raise typer.Exit(EXIT_REFUSED)
