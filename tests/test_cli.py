"""The command line, driven through Typer's runner: exit codes, output and error reporting."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from socialcredit import __version__
from socialcredit.cli.app import app
from socialcredit.policy.schema import policy_json_schema_text
from tests.conftest import ROOT

EXAMPLES = str(ROOT / "policies" / "examples")
RECORDS = str(ROOT / "examples" / "records.jsonl")
DEFAULTER = "11010519491231002X"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_policy_check_accepts_the_examples() -> None:
    code, out, _ = run("policy", "check", EXAMPLES)
    assert code == 0
    assert out.count("ok  ") == 4


def test_policy_check_refuses_with_located_problems() -> None:
    code, _, err = run("policy", "check", str(ROOT / "policies" / "refused" / "speech-score.yaml"))
    assert code == 1
    assert "speech-score.yaml:" in err
    assert "[P2]" in err


def test_policy_check_with_no_files(tmp_path: Path) -> None:
    code, _, err = run("policy", "check", str(tmp_path))
    assert code == 1
    assert "no policy files" in err


def test_committed_schema_is_not_stale() -> None:
    committed = (ROOT / "schema" / "policy.schema.json").read_text(encoding="utf-8")
    assert committed == policy_json_schema_text(), "run `make schema` and commit the result"
    code, out, _ = run("policy", "schema")
    assert code == 0
    assert json.loads(out)["title"] == "PolicyFile"


def test_assess_json_one_subject() -> None:
    code, out, _ = run(
        "assess", "-p", EXAMPLES, "-r", RECORDS, "--as-of", "2025-06-01", "-s", DEFAULTER, "--json"
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert set(result) >= {"subject", "as_of", "scores", "lists", "decisions"}
    assert result["decisions"]["flight-booking"]["effect"] == "deny"
    assert result["decisions"]["public-procurement-bid"]["effect"] == "allow"
    assert [m["list"] for m in result["lists"]] == ["dishonest-judgment-defaulters"]


def test_assess_json_every_subject_in_the_file() -> None:
    code, out, _ = run("assess", "-p", EXAMPLES, "-r", RECORDS, "--as-of", "2025-06-01", "--json")
    assert code == 0
    subjects = [json.loads(line)["subject"] for line in out.strip().splitlines()]
    assert subjects == sorted(subjects)
    assert len(subjects) == 6


def test_assess_readable_report() -> None:
    code, out, _ = run(
        "assess", "-p", EXAMPLES, "-r", RECORDS, "--as-of", "2025-06-01", "-s", DEFAULTER
    )
    assert code == 0
    assert DEFAULTER in out
    assert "dishonest-judgment-defaulters" in out
    assert "deny" in out


def _bad_records(tmp_path: Path) -> Path:
    path = tmp_path / "records.jsonl"
    good = {
        "id": "a",
        "subject": DEFAULTER,
        "item": "RC-VOLUNTEER-100H",
        "decided_on": "2025-01-01",
    }
    lines = [
        json.dumps(good),
        json.dumps({**good, "id": "b", "subject": "110105194912310021"}),
        "{not json",
        json.dumps({**good, "id": "c", "item": "NO-SUCH-ITEM"}),
        json.dumps({**good, "id": "d", "item": "SPC-REFUSE"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_invalid_records_are_listed_with_line_numbers(tmp_path: Path) -> None:
    records = str(_bad_records(tmp_path))
    code, out, err = run("assess", "-p", EXAMPLES, "-r", records, "--as-of", "2025-06-01")
    assert code == 1
    assert out == ""
    for line, words in ((2, "check character"), (3, "not valid JSON"), (4, "NO-SUCH-ITEM")):
        assert f"records.jsonl:{line}: [record]" in err
        assert words in err
    assert "principle 3" in err  # line 5: negative record without authority and reference


def test_skip_invalid_assesses_the_rest(tmp_path: Path) -> None:
    records = str(_bad_records(tmp_path))
    args = ("assess", "-p", EXAMPLES, "-r", records, "--as-of", "2025-06-01", "--json")
    code, out, err = run(*args, "--skip-invalid")
    assert code == 0
    assert json.loads(out)["scores"]["rongcheng-personal"]["value"] == 1010
    assert "4 of 5 record line(s) are invalid" in err


def test_records_csv(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(
        "id,subject,item,authority,reference,decided_on,notified_on\n"
        f"x1,{DEFAULTER},RC-UTILITY-DAMAGE,Water Co,W-1,2025-01-01,2025-01-03\n",
        encoding="utf-8",
    )
    code, out, _ = run("assess", "-p", EXAMPLES, "-r", str(path), "--as-of", "2025-06-01", "--json")
    assert code == 0
    assert json.loads(out)["scores"]["rongcheng-personal"]["value"] == 900


def test_unreadable_inputs_are_usage_errors(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.jsonl")
    code, _, err = run("assess", "-p", EXAMPLES, "-r", missing, "--as-of", "2025-06-01")
    assert code == 2
    assert "not found" in err
    odd = tmp_path / "records.txt"
    odd.write_text("", encoding="utf-8")
    code, _, err = run("assess", "-p", EXAMPLES, "-r", str(odd), "--as-of", "2025-06-01")
    assert code == 2
    assert ".jsonl" in err


def test_invalid_subject_option() -> None:
    code, _, err = run(
        "assess", "-p", EXAMPLES, "-r", RECORDS, "--as-of", "2025-06-01", "-s", "123"
    )
    assert code == 1
    assert "123" in err


def test_version() -> None:
    code, out, _ = run("version")
    assert code == 0
    assert out.strip() == __version__


def test_commands_import_only_what_they_use() -> None:
    """`cli/lazy.py`: `version` and `policy check` do not load the registry, DuckDB, matplotlib
    or FastAPI; `policy diff` does load its own module when asked for."""
    probe = (
        "import sys\n"
        "from socialcredit.cli.app import app\n"
        "for args in (['version'], ['policy', 'check', sys.argv[1]]):\n"
        "    try:\n"
        "        app(args)\n"
        "    except SystemExit as exit_:\n"
        "        assert exit_.code == 0, exit_.code\n"
        "heavy = ('sqlalchemy', 'duckdb', 'matplotlib', 'fastapi', 'socialcredit.batch')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, EXAMPLES], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"
