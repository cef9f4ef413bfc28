"""The README's commands run as written (so the README cannot drift from the code).

Every command of the ``sh`` blocks of "Using it" is run, in order, in a scratch directory that
holds the repository's ``examples/`` and ``policies/`` (``.venv/bin/`` is this environment's
``bin``). Only the two commands that need a running server, ``serve`` and ``curl``, are not run:
the HTTP API has its own end-to-end tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVERS = (".venv/bin/socialcredit serve", "curl ")


def _commands() -> list[tuple[str, bool]]:
    """Each command, and whether the README says it is refused (its comment says so)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Using it") : text.index("## Documentation")]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            command, _, comment = line.partition("  #")
            command = command.strip()
            if command and not command.startswith(SERVERS):
                commands.append((command, "refusal" in comment))
    return commands


def test_the_readme_has_the_commands_it_shows() -> None:
    commands = [command for command, _ in _commands()]
    assert any("records submit" in c for c in commands)
    assert any(c.startswith("KEY=$(") for c in commands)
    assert any("batch assess" in c and "/tmp/pop/records" in c for c in commands)
    assert [c for c, refused in _commands() if refused] == [
        ".venv/bin/socialcredit policy check policies/refused/score-laundering.yaml"
    ]


@pytest.mark.slow
def test_every_readme_command_runs(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "policies").symlink_to(ROOT / "policies")
    (tmp_path / "out").mkdir()
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "bin").symlink_to(Path(sys.executable).parent)
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    lines = []
    for command, refused in _commands():
        scratch = command.replace("/tmp/pop", str(tmp_path / "pop"))
        scratch = scratch.replace("/tmp/scored", str(tmp_path / "scored"))
        # a command the README shows refused must fail; every other must succeed
        lines.append(
            f"if {scratch}; then :; else exit 1; fi"
            if not refused
            else f"if {scratch}; then exit 1; fi"
        )
    script = "\n".join(lines)
    done = subprocess.run(
        ["bash", "-c", script + '\ntest -n "$KEY"\n'],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
