"""The shape of the code: small modules, no module over 600 lines without a written reason."""

from __future__ import annotations

import ast
import statistics

from tests.conftest import ROOT

SRC = ROOT / "src" / "socialcredit"
MAX_LINES = 600
MAX_REGISTRY_LINES = 300  # the registry's modules, migrations aside
MAX_FUNCTION_LINES = 60
REASON_MARK = "Size:"  # a module docstring line "Size: <why this module is bigger>"


def _modules() -> list[tuple[str, str]]:
    return [
        (str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py"))
    ]


def test_no_module_is_oversized_without_a_reason() -> None:
    for name, text in _modules():
        lines = text.count("\n")
        doc = ast.get_docstring(ast.parse(text)) or ""
        assert lines <= MAX_LINES or REASON_MARK in doc, f"{name} has {lines} lines"


def test_registry_modules_stay_under_300_lines() -> None:
    for name, text in _modules():
        lines = text.count("\n")
        if name.startswith("src/socialcredit/registry/") and "/migrations/" not in name:
            assert lines < MAX_REGISTRY_LINES, f"{name} has {lines} lines"


def test_median_module_stays_small() -> None:
    sizes = [text.count("\n") for _, text in _modules() if text.strip()]
    assert statistics.median(sizes) <= 150


def test_functions_stay_short() -> None:
    """Alembic migrations (one long list of table definitions each) are exempt."""
    for name, text in _modules():
        if "/migrations/versions/" in name:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                assert length <= MAX_FUNCTION_LINES, f"{name}:{node.lineno} {node.name}: {length}"
