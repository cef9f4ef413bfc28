"""Consoles and the one place where package errors become messages and exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from socialcredit.errors import InputError, ProblemsError, SocialCreditError

EXIT_REFUSED = 1
EXIT_USAGE = 2


def stdout() -> Console:
    return Console(highlight=False)


def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_problems(error: ProblemsError, console: Console) -> None:
    console.print(error.message, style="bold red", markup=False)
    for problem in error.problems:
        console.print(problem.render(), markup=False)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Render any :class:`SocialCreditError` on stderr and exit with its code."""
    try:
        yield
    except ProblemsError as exc:
        print_problems(exc, stderr())
        raise typer.Exit(EXIT_REFUSED) from exc
    except InputError as exc:
        stderr().print(f"error: {exc.message}", style="red", markup=False)
        raise typer.Exit(EXIT_USAGE) from exc
    except SocialCreditError as exc:
        stderr().print(f"error: {exc.message}", style="red", markup=False)
        raise typer.Exit(EXIT_REFUSED) from exc
