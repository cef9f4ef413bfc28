"""Bad Parquet input: clear errors naming file, row group and column; quarantine; counts add up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from socialcredit.batch.options import BatchOptions
from socialcredit.batch.run import assess_dataset
from socialcredit.cli.app import app
from socialcredit.errors import DatasetError
from socialcredit.policy import PolicySet
from socialcredit.sim.records import RECORD_SCHEMA
from tests.batch.badrows import GOOD, bad_rows, write_rows
from tests.conftest import FIXTURES
from tests.strategies import PERSON

DAY = date(2025, 6, 1)


def test_missing_column(lab_policy: PolicySet, workdir: Path) -> None:
    schema = pa.schema([f for f in RECORD_SCHEMA if f.name != "item"])
    path = write_rows(
        [{k: v for k, v in GOOD.items() if k != "item"}], workdir / "in" / "a.parquet", schema
    )
    with pytest.raises(DatasetError) as caught:
        assess_dataset(lab_policy, BatchOptions(workdir / "in", workdir / "out", DAY))
    text = str(caught.value)
    assert str(path) in text and "row group 0" in text and "'item' is missing" in text


def test_wrong_type_and_unknown_column(lab_policy: PolicySet, workdir: Path) -> None:
    table = pa.table(
        {
            "id": ["r1"],
            "subject": [PERSON],
            "item": ["NEG-JUDGMENT"],
            "decided_on": ["2025-01-01"],
            "colour": ["red"],
        }
    )
    pq.write_table(table, (workdir / "b.parquet"))
    with pytest.raises(DatasetError) as caught:
        assess_dataset(lab_policy, BatchOptions(workdir / "b.parquet", workdir / "out", DAY))
    text = str(caught.value)
    assert "'decided_on' has type string; expected a date" in text
    assert "'colour' is not a record field" in text


def test_invalid_rows_are_named(lab_policy: PolicySet, workdir: Path) -> None:
    path = write_rows(bad_rows(), workdir / "in" / "part-0.parquet")
    with pytest.raises(DatasetError) as caught:
        assess_dataset(lab_policy, BatchOptions(workdir / "in", workdir / "out", DAY))
    text = str(caught.value)
    assert "5 of 6 record row(s) are invalid" in text
    assert f"{path} (row group 0, row 1): [column subject]" in text
    assert f"{path} (row group 1, row 2): [column item] item is not in the catalogue" in text
    assert "[column item] the item does not apply to the subject kind" in text
    assert f"{path} (row group 2, row 4): [column reference]" in text
    assert "[column resolved_on] resolved_on is before decided_on" in text
    assert "(row group 2, row 5): [column id]" in text
    assert not (workdir / "out" / "scores").exists()


def test_an_invalid_row_in_a_later_partition_leaves_no_output(
    lab_policy: PolicySet, workdir: Path
) -> None:
    write_rows([GOOD], workdir / "in" / "bucket=00000" / "part-0.parquet")
    write_rows(bad_rows()[1:3], workdir / "in" / "bucket=00001" / "part-0.parquet")
    with pytest.raises(DatasetError, match="2 of 2 record row"):
        assess_dataset(lab_policy, BatchOptions(workdir / "in", workdir / "out", DAY))
    assert not [p for p in (workdir / "out").rglob("*") if p.is_file()]


def test_skip_invalid_quarantines_and_counts_add_up(lab_policy: PolicySet, workdir: Path) -> None:
    write_rows(bad_rows(), workdir / "in" / "part-0.parquet")
    options = BatchOptions(workdir / "in", workdir / "out", DAY, skip_invalid=True)
    summary = assess_dataset(lab_policy, options)
    assert (summary.rows_in, summary.valid, summary.rejected) == (6, 1, 5)
    quarantine = pq.read_table(workdir / "out" / "quarantine").to_pylist()
    assert sorted(r["id"] for r in quarantine) == ["r1", "r2", "r3", "r4", "r5"]
    assert all(r["reasons"] for r in quarantine)
    assert pq.read_table(workdir / "out" / "records").num_rows == 1


def test_cli_reports_and_exits(workdir: Path) -> None:
    write_rows(bad_rows(), workdir / "in" / "part-0.parquet")
    lab = str(FIXTURES / "policies" / "lab.yaml")
    base = ["batch", "assess", "-p", lab, "-r", str(workdir / "in"), "--as-of", "2025-06-01"]
    runner = CliRunner()
    refused = runner.invoke(app, [*base, "-o", str(workdir / "o1")])
    assert refused.exit_code == 1
    assert "[column item] item is not in the catalogue" in refused.output
    done = runner.invoke(app, [*base, "-o", str(workdir / "o2"), "--skip-invalid", "--debug"])
    assert done.exit_code == 0, done.output
    assert "validated: 6 rows" in done.output and "rejected row(s) written" in done.output
    wrong = runner.invoke(app, [*base, "-o", str(workdir / "o3"), "--engine", "sql"])
    assert wrong.exit_code == 2
