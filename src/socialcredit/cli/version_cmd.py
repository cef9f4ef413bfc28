"""``socialcredit version``."""

from __future__ import annotations

import typer

from socialcredit import __version__


def version_command() -> None:
    """Print the version of socialcredit."""
    typer.echo(__version__)
