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


def test_a_list_of_known_credit_codes_resolves_codes_too(tmp_path: Path) -> None:
    known = tmp_path / "organisations.txt"
    known.write_text("# the register's extract\n12100000123456788N\n\n", encoding="utf-8")
    args = ("assess", "-p", EXAMPLES, "-r", _records(tmp_path), "--as-of", "2025-06-01")
    code, out, err = run(*args, "--json", "--organisations", str(known))
    assert code == 0, err
    subjects = sorted(json.loads(line)["subject"] for line in out.splitlines())
    assert subjects == ["12100000123456788N", EMBEDDING]
    known.write_text("1210000012345678\n", encoding="utf-8")
    code, _, err = run(*args, "--organisations", str(known))
    assert code == 2 and "organisations.txt:1:" in err


def test_an_all_digit_credit_code_is_assessed_as_an_organisation(tmp_path: Path) -> None:
    """A record filed under the code of an all-digit credit code of the list: the credit code
    is assessed as the organisation it is, never read again as a person's number."""
    records = tmp_path / "records.jsonl"
    row = {
        "id": "d1",
        "subject": "55667788-5",
        "item": "ENT-PENALTY-SERIOUS",
        "authority": "Market regulator",
        "reference": "REF-d1",
        "decided_on": "2025-01-02",
    }
    records.write_text(json.dumps(row) + "\n", encoding="utf-8")
    known = tmp_path / "organisations.txt"
    known.write_text("914403005566778854\n", encoding="utf-8")
    args = ("assess", "-p", EXAMPLES, "-r", str(records), "--as-of", "2025-06-01", "--json")
    code, out, err = run(*args, "--organisations", str(known))
    assert code == 0, err
    found = json.loads(out)
    assert (found["subject"], found["subject_kind"]) == ("914403005566778854", "organisation")
    code, _, err = run(*args)
    assert code == 1 and "55667788-5 matches no known unified social credit code" in err
