"""``socialcredit assess``: records filed under an organisation code are assessed under the
credit code of the same file that embeds it; one that no credit code of the file embeds is an
invalid line, named by its line number and reason."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import EXAMPLES, run

EMBEDDING = "91350100600037341P"


def _records(tmp_path: Path) -> str:
    def line(record_id: str, subject: str) -> str:
        return json.dumps(
            {
                "id": record_id,
                "subject": subject,
                "item": "ENT-PENALTY-SERIOUS",
                "authority": "Market regulator",
                "reference": f"REF-{record_id}",
                "decided_on": "2025-01-02",
                "notified_on": "2025-01-03",
            }
        )

    path = tmp_path / "records.jsonl"
    lines = [line("o1", EMBEDDING), line("o2", "60003734-1"), line("o3", "12345678-8")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_code_no_credit_code_of_the_file_embeds_is_an_invalid_line(tmp_path: Path) -> None:
    code, out, err = run(
        "assess", "-p", EXAMPLES, "-r", _records(tmp_path), "--as-of", "2025-06-01"
    )
    assert code == 1 and out == ""
    assert "records.jsonl:3: [record]" in err
    assert "organisation code 12345678-8 matches no known unified social credit code" in err
    assert "records.jsonl:2" not in err


def test_a_code_is_assessed_under_the_credit_code_embedding_it(tmp_path: Path) -> None:
    args = ("assess", "-p", EXAMPLES, "-r", _records(tmp_path), "--as-of", "2025-06-01")
    code, out, err = run(*args, "--json", "--skip-invalid")
    assert code == 0, err
    (assessment,) = [json.loads(line) for line in out.splitlines()]
    assert assessment["subject"] == EMBEDDING
    assert sorted(r["record"] for r in assessment["records"]) == ["o1", "o2"]
    code, by_code, _ = run(*args, "--json", "--skip-invalid", "--subject", "60003734-1")
    assert code == 0 and json.loads(by_code)["subject"] == EMBEDDING
