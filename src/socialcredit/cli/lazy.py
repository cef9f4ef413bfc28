"""Command groups whose commands are imported when they are used, not when the CLI starts.

Importing every command module costs about 2.5 s of CPU (the registry's SQLAlchemy models,
DuckDB and pyarrow, matplotlib, FastAPI), paid by every command, even ``socialcredit version``.
A group built by :func:`lazy_group` names its commands in a table of ``"module:attribute"``
targets and imports a module only when one of its commands runs, is completed or is listed in
``--help``. The import is by name (``importlib``) on purpose: it defers cost, it does not hide
a cycle; every target is a module of this package and a test imports them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup


def _load(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def load_command(name: str, target: str) -> Any:
    """The Click command named ``name`` for a target: a Typer application (a group) or a
    function (a single command, registered as Typer would)."""
    found = _load(target)
    if isinstance(found, typer.Typer):
        command: Any = typer.main.get_group(found)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(found)
        command = typer.main.get_command(single)
    command.name = name
    return command


class _LazyGroup(TyperGroup):
    """A Typer group whose commands beyond those registered directly come from ``entries``."""

    entries: Mapping[str, str] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in self.entries if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        target = self.entries.get(cmd_name)
        if target is None or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        command = load_command(cmd_name, target)
        self.add_command(command, cmd_name)
        return command


def lazy_group(entries: Mapping[str, str]) -> type[TyperGroup]:
    """A group class for ``typer.Typer(cls=...)`` that adds the commands of ``entries``
    (name → ``"module:attribute"``) and imports each one's module on first use."""
    return type("LazyGroup", (_LazyGroup,), {"entries": dict(entries)})
