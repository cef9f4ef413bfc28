"""The layers contract catches an upward import: a copy of the package with one module of the
batch layer importing the command line fails ``lint-imports``, and the same copy without it
passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contracts over the package copied under ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "src" / "socialcredit",
        tmp_path / "src" / "socialcredit",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.slow
def test_an_upward_import_breaks_the_layers_contract(tree: Path) -> None:
    clean = _lint(tree)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    violating = tree / "src" / "socialcredit" / "batch" / "upward.py"
    violating.write_text('"""Not part of the project."""\n\nimport socialcredit.cli.app\n')
    found = _lint(tree)
    assert found.returncode != 0
    assert "One-way layers" in found.stdout and "BROKEN" in found.stdout
    assert "socialcredit.batch.upward -> socialcredit.cli.app" in found.stdout
