"""``socialcredit catalogue``: publish the base catalogue and the base list of measures."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from socialcredit.cli.output import stdout
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.publication import catalogue_json, measures_json


class Part(StrEnum):
    ENTRIES = "entries"
    MEASURES = "measures"
    ALL = "all"


class Lang(StrEnum):
    EN = "en"
    ZH = "zh"


def _entries_table(data: dict[str, Any], lang: str) -> Table:
    table = Table(title=f"Base catalogue ({data['edition']})", show_lines=True)
    table.add_column("code", no_wrap=True)
    table.add_column("title and instruments", min_width=30)
    table.add_column("widest terms", min_width=20)
    for e in data["entries"]:
        instruments = "; ".join(f"{i['name']}, {i['article']}" for i in e["instruments"])
        terms = (
            f"{e['category']} ({e['sector']}); {', '.join(e['subject_kinds'])}; at most "
            f"{e['max_severity']}, counts {e['max_counts_for']}, "
            f"{e['max_disclosure']['tier']} {e['max_disclosure']['period']}; lists: "
            f"{', '.join(e['lists']) or 'none'}; by {', '.join(e['authority_kinds'])}"
        )
        table.add_row(e["code"], f"{e['title'][lang]}\n{instruments}", terms)
    return table


def _measures_table(data: dict[str, Any], lang: str) -> Table:
    table = Table(title=f"Base list of measures ({data['edition']})", show_lines=True)
    table.add_column("code", no_wrap=True)
    table.add_column("measure, instruments and scope", min_width=30)
    for m in data["measures"]:
        instruments = "; ".join(f"{i['name']}, {i['article']}" for i in m["instruments"])
        scope = (
            f"{m['effect']}{' (also on a score)' if m['on_score'] else ''} at "
            f"{', '.join(m['services'])}; targets {', '.join(m['targets'])}; triggered by "
            f"{', '.join(m['triggers'])}"
        )
        text = f"{m['title'][lang]}: {m['content'][lang]}\n{instruments}\n{scope}"
        table.add_row(m["code"], text)
    return table


def catalogue_command(
    part: Annotated[Part, typer.Option("--part", help="entries, measures or all.")] = Part.ALL,
    lang: Annotated[Lang, typer.Option("--lang", help="Titles in en or zh.")] = Lang.EN,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (both languages).")] = False,
) -> None:
    """List the base catalogue and the base measures that every policy rests on."""
    base = base_catalogue()
    data: dict[str, Any] = {}
    if part in (Part.ENTRIES, Part.ALL):
        data["catalogue"] = catalogue_json(base)
    if part in (Part.MEASURES, Part.ALL):
        data["measures"] = measures_json(base)
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    out = stdout()
    if "catalogue" in data:
        out.print(_entries_table(data["catalogue"], lang.value))
    if "measures" in data:
        out.print(_measures_table(data["measures"], lang.value))
