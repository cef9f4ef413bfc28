"""``socialcredit policy ...``: check policies and print the format's JSON Schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialcredit.cli.lazy import lazy_group
from socialcredit.cli.output import EXIT_REFUSED, reported_errors, stderr, stdout
from socialcredit.errors import PolicyError
from socialcredit.policy import check_files, expand_paths
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.explain import explain as explain_policies
from socialcredit.policy.schema import policy_json_schema_text

#: ``diff`` (population impact) and ``load`` (into a registry) live with the batch and registry
#: commands; they are imported only when used.
LATER = {
    "diff": "socialcredit.cli.diff_cmd:diff_command",
    "load": "socialcredit.cli.registry_cmd:policy_load",
}
app = typer.Typer(
    help="Check policies and publish the policy format.",
    no_args_is_help=True,
    cls=lazy_group(LATER),
)

PathsArg = Annotated[
    list[Path], typer.Argument(help="Policy files, or directories of *.yaml files.")
]


ExplainOpt = Annotated[
    bool,
    typer.Option(
        "--explain",
        help="For each item and measure, print the base entry and instrument it rests on and "
        "how the policy narrows it.",
    ),
]


@app.command("check")
def check(paths: PathsArg, explain: ExplainOpt = False) -> None:
    """Validate policies: shape, cross-references and safeguards. Exit 0 when valid."""
    with reported_errors():
        files = expand_paths(paths)
        if not files:
            raise PolicyError("no policy files were found in the given paths", [])
        parsed, problems = check_files(files)
        if problems:
            raise PolicyError(f"the policy was refused: {len(problems)} problem(s)", problems)
    out = stdout()
    for result in parsed:
        header = result.model.policy
        counts = (
            f"{len(result.model.items)} items, {len(result.model.score_models)} score models, "
            f"{len(result.model.lists)} lists, {len(result.model.memoranda)} memoranda"
        )
        out.print(f"ok  {result.doc.path}  {header.id} {header.version}: {counts}", markup=False)
    if explain:
        for line in explain_policies(parsed, base_catalogue()):
            out.print(line, markup=False, soft_wrap=True)


@app.command("schema")
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of the policy format."""
    text = policy_json_schema_text()
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        stderr().print(f"error: cannot write {out}: {exc}", style="red", markup=False)
        raise typer.Exit(EXIT_REFUSED) from exc
