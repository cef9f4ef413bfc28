"""Documentation that is tested: every command, option and policy key is documented."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import typer.main
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from socialcredit.cli.app import app
from socialcredit.policy.schema import policy_json_schema
from socialcredit.web.app import mount
from socialcredit.web.settings import PortalSettings
from tests.conftest import ROOT

CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
FORMAT_DOC = (ROOT / "docs" / "policy-format.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str, ctx: Any) -> Iterator[tuple[str, Any]]:
    """Every command under a group, lazily loaded ones included (``cli/lazy.py``)."""
    names = group.list_commands(ctx) if hasattr(group, "list_commands") else []
    if not names:
        yield prefix, group
    for name in names:
        command = group.get_command(ctx, name)
        yield from _commands(command, f"{prefix} {name}", ctx)


def test_every_command_and_option_is_documented() -> None:
    root = typer.main.get_command(app)
    commands = list(_commands(root, "socialcredit", root.context_class(root)))
    assert len(commands) >= 4
    for path, command in commands:
        assert f"## `{path}" in CLI_DOC, f"docs/cli.md has no section for {path}"
        for param in command.params:
            if getattr(param, "param_type_name", "") == "option" and "--help" not in param.opts:
                longest = max(param.opts, key=len)  # "-p" alone is a substring of "--policy"
                assert re.search(rf"(?<![\w-]){re.escape(longest)}(?![\w-])", CLI_DOC), (
                    f"docs/cli.md does not document {longest} of {path}"
                )


def _keys(schema: dict[str, Any]) -> set[str]:
    keys = set(schema.get("properties", {}))
    for definition in schema.get("$defs", {}).values():
        keys |= set(definition.get("properties", {}))
    return keys


def test_every_policy_key_is_documented() -> None:
    documented = set(re.findall(r"`([a-z_]+)`", FORMAT_DOC))
    missing = sorted(_keys(policy_json_schema()) - documented)
    assert not missing, f"docs/policy-format.md does not document: {missing}"


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test", "test-fast"):
        assert f"make {target}" in readme
        assert re.search(rf"^{target}:", makefile, re.MULTILINE)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_every_portal_route_is_documented() -> None:
    """docs/portal.md lists exactly the portal's routes (method and path)."""
    app = mount(FastAPI(), PortalSettings(secret="documentation-test-" + "x" * 20))
    served = {("GET", "/static/{path}")}
    for route in iter_route_contexts(app.routes):
        if getattr(route.original_route, "endpoint", None) is None:
            continue
        if route.original_route.endpoint.__module__.startswith("socialcredit.web."):
            served |= {(m, route.path_format) for m in route.methods or () if m != "HEAD"}
    portal_doc = (ROOT / "docs" / "portal.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| (GET|POST) \| `([^`]+)` \|", portal_doc, re.MULTILINE))
    assert served - documented == set(), f"undocumented portal routes: {served - documented}"
    assert documented - served == set(), f"documented but not served: {documented - served}"


def test_every_portal_setting_is_documented() -> None:
    portal_doc = (ROOT / "docs" / "portal.md").read_text(encoding="utf-8")
    for name in PortalSettings.model_fields:
        assert f"`{name}`" in portal_doc, f"docs/portal.md does not document {name}"
