"""Agency mappings: loading (errors with file and line), reading exports (encodings, Chinese
dates, full-width digits, code tables, columns), and the committed JSON Schema."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from socialcredit.errors import InputError, MappingError
from socialcredit.ingest.mapped import open_mapped, unknown_keys
from socialcredit.ingest.mapping_load import Mapping, load_mapping
from socialcredit.ingest.mapping_schema import mapping_json_schema, mapping_json_schema_text
from socialcredit.ingest.mapping_values import read_amount, read_date
from socialcredit.ingest.sources import rows_estimate
from socialcredit.policy import PolicySet
from socialcredit.policy.loader import load_policies
from tests.conftest import ROOT

MAPPINGS = ROOT / "examples" / "mappings"
COURT_MAP = MAPPINGS / "court-enforcement.yaml"
COURT_CSV = MAPPINGS / "court-enforcement.csv"
COLUMNS = ("记录编号", "统一社会信用代码", "身份证号码", "案号", "执行法院", "失信情形代码")
HEADER = ",".join((*COLUMNS, "立案日期", "发布日期", "执行标的（元）"))


@cache
def policies() -> PolicySet:
    return load_policies([ROOT / "policies" / "examples"])


def court() -> Mapping:
    return load_mapping(COURT_MAP, policies())


def _mapping_text(**replace: str) -> str:
    text = COURT_MAP.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_examples_load_and_map_every_row() -> None:
    mapped = open_mapped(COURT_CSV, court())
    rows = list(mapped.rows)
    assert len(rows) == 12 and mapped.read == 12 and mapped.warnings == []
    assert all(not r.reasons for r in rows)
    first, second = rows[0].fields, rows[1].fields
    assert first["decided_on"] == "2024-01-01" and first["amount"] == "182000"
    assert first["identifier_kind"] == "unified-social-credit-code"
    assert second["decided_on"] == "2024-02-06"  # written ２０２４年２月６日 in full-width digits
    assert second["amount"] == "56000" and second["item"] == "SPC-OBSTRUCT-VIOLENCE"
    assert rows[2].fields["amount"] == "125000"  # 12.5万元
    assert first["reference"] == "（2024）京0105执1200号"  # text is kept as written
    links = load_mapping(MAPPINGS / "market-registration.yaml", policies())
    link_rows = list(open_mapped(MAPPINGS / "market-registration.csv", links).rows)
    assert len(link_rows) == 12 and all(not r.reasons for r in link_rows)
    assert link_rows[0].fields["role"] == "legal_representative"
    assert link_rows[0].fields["valid_from"] == "2015-03-01"  # written 2015年3月1日
    assert link_rows[0].fields["valid_to"] == "2019-06-01"  # written 20190601
    assert link_rows[2].fields["role"] == "main_responsible_person"


def test_loading_errors_name_file_line_and_rule(tmp_path: Path) -> None:
    text = _mapping_text(
        **{
            '"04": SPC-ASSET-REPORT': '"04": ENT-TAX-ARREARS',
            "  header_row: 1": "  header_row: 1\n  delimiter: ';'",
            '"%Y/%m/%d"': '"%Y"',
        }
    )
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(MappingError) as caught:
        load_mapping(path, policies())
    rendered = str(caught.value)
    assert re.search(r"bad\.yaml:\d+:\d+: \[schema\] unknown key 'delimiter'", rendered)
    # the shape is refused first: phase 2 runs on a mapping whose shape is sound
    fixed = _write(tmp_path, "bad2.yaml", text.replace("\n  delimiter: ';'", ""))
    with pytest.raises(MappingError) as caught:
        load_mapping(fixed, policies())
    problems = {p.message.split(" (")[0]: p for p in caught.value.problems}
    line = (
        text.replace("\n  delimiter: ';'", "")
        .splitlines()
        .index('      "04": ENT-TAX-ARREARS        # 违反财产报告制度')
    )
    foreign = next(p for p in caught.value.problems if "ENT-TAX-ARREARS" in p.message)
    assert foreign.line == line + 1 and foreign.location.endswith("bad2.yaml")
    assert "does not establish item 'ENT-TAX-ARREARS'" in foreign.message
    assert any("date format '%Y'" in m for m in problems)


def test_a_mapping_missing_required_fields_and_naming_unknown_ones(tmp_path: Path) -> None:
    text = _mapping_text(**{"  decided_on: {column: 立案日期}\n": "  colour: {column: 立案日期}\n"})
    with pytest.raises(MappingError) as caught:
        load_mapping(_write(tmp_path, "m.yaml", text), policies())
    messages = " | ".join(p.message for p in caught.value.problems)
    assert "required field 'decided_on' is not mapped" in messages
    assert "'colour' is not a field of records" in messages


def _court_file(tmp_path: Path, lines: list[str], encoding: str = "gb18030") -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding))
    return path


def test_gb18030_chinese_dates_full_width_round_trip(tmp_path: Path) -> None:
    path = _court_file(
        tmp_path,
        [
            "Ｒ１,,１１０１０５１９４９１２３１００２ｘ,（2024）京0105执1号,某法院,０１,２０２４年３月１日,,１，２３４．５０元"
        ],
    )
    (row,) = open_mapped(path, court()).rows
    assert not row.reasons
    assert row.fields["id"] == "Ｒ１"  # an id is text, kept as written
    assert row.fields["subject"] == "11010519491231002X"
    assert row.fields["decided_on"] == "2024-03-01"
    assert row.fields["amount"] == "1234.50"
    assert row.fields["item"] == "SPC-REFUSE"
    assert "（2024）京0105执1号" in row.text


def test_bad_rows_get_precise_reasons(tmp_path: Path) -> None:
    path = _court_file(
        tmp_path,
        [
            "R1,,11010519491231002X,案1,某法院,09,2024年3月1日,,100",
            "R2,,11010519491231002X,案2,某法院,01,2024年13月1日,,100",
            "R3,,11010519491231002X,案3,某法院,01,2024年3月1日,,一百元",
            "R4,,,案4,某法院,01,2024年3月1日,,100",
        ],
    )
    rows = list(open_mapped(path, court()).rows)
    assert [r.line for r in rows] == [2, 3, 4, 5]
    assert "column '失信情形代码': code '09' is not in the mapping's code table" in rows[0].raw
    assert "decided_on: '2024年13月1日' is not a date in the formats" in rows[1].raw
    assert "amount: '一百元' is not an amount" in rows[2].raw
    assert isinstance(rows[3].raw, dict) and "subject" not in rows[3].raw  # validation says so


def test_a_line_in_another_encoding_is_a_row_problem_with_its_line(tmp_path: Path) -> None:
    good = "R1,,11010519491231002X,案1,某法院,01,2024年3月1日,,100".encode("gb18030")
    path = tmp_path / "mixed.csv"
    path.write_bytes(HEADER.encode("utf-8") + b"\n" + b"R0,,x,\xff\xfe,c,01,2024-01-01,,1\n")
    utf8 = load_mapping(
        _write(tmp_path, "u.yaml", _mapping_text(**{"encoding: gb18030": "encoding: utf-8"})),
        policies(),
    )
    (row,) = open_mapped(path, utf8).rows
    assert row.reasons == ("line 2 is not utf-8 text (byte 7)",)
    header_gb = tmp_path / "gb.csv"
    header_gb.write_bytes(HEADER.encode("gb18030") + b"\n" + good + b"\n")
    with pytest.raises(InputError, match=r"gb\.csv:1: the header is not utf-8 text .*gb18030"):
        open_mapped(header_gb, utf8)


def test_missing_and_unknown_columns(tmp_path: Path) -> None:
    short = tmp_path / "short.csv"
    short.write_bytes("记录编号,身份证号码\nR1,x\n".encode("gb18030"))
    with pytest.raises(InputError, match=r"'统一社会信用代码'.*are not in the header"):
        open_mapped(short, court())
    extra = _court_file(tmp_path, [], "gb18030")
    extra.write_bytes((HEADER + ",联系电话\n").encode("gb18030"))
    assert open_mapped(extra, court()).warnings == [
        "column '联系电话' is not in the mapping: left out"
    ]
    refusing = load_mapping(
        _write(
            tmp_path,
            "r.yaml",
            _mapping_text(**{"unknown_columns: warn": "unknown_columns: refuse"}),
        ),
        policies(),
    )
    with pytest.raises(InputError, match="columns the mapping does not mention: '联系电话'"):
        open_mapped(extra, refusing)


def test_an_excel_export_reads_like_its_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    text = COURT_CSV.read_bytes().decode("gb18030")
    for values in csv.reader(io.StringIO(text)):
        sheet.append(values)
    path = tmp_path / "export.xlsx"
    book.save(path)
    xlsx = load_mapping(
        _write(
            tmp_path,
            "x.yaml",
            _mapping_text(**{"format: csv\n  encoding: gb18030": "format: xlsx"}),
        ),
        policies(),
    )
    from_csv = [r.fields for r in open_mapped(COURT_CSV, court()).rows]
    from_xlsx = [r.fields for r in open_mapped(path, xlsx).rows]
    assert from_xlsx == from_csv
    assert rows_estimate(path, xlsx.model.source) == 12


def test_values() -> None:
    assert read_date("２０２４年３月１日", ["%Y年%m月%d日"]) == "2024-03-01"
    assert read_date("20240301", ["%Y%m%d"]) == "2024-03-01"
    with pytest.raises(ValueError, match=r"e\.g\. 2024年03月01日"):
        read_date("3/1/2024", ["%Y年%m月%d日"])
    assert read_amount("¥1,000,000元") == "1000000"
    assert read_amount("３．５万元") == "35000"
    with pytest.raises(ValueError):
        read_amount("NaN")


def test_committed_mapping_schema_is_not_stale() -> None:
    committed = (ROOT / "schema" / "mapping.schema.json").read_text(encoding="utf-8")
    assert committed == mapping_json_schema_text(), "run `make schema` and commit the result"


def test_every_mapping_key_is_documented() -> None:
    doc = (ROOT / "docs" / "mapping-format.md").read_text(encoding="utf-8")
    schema = mapping_json_schema()
    keys = set(schema["properties"])
    for definition in schema["$defs"].values():
        keys |= set(definition.get("properties", {}))
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert not missing, f"docs/mapping-format.md does not document: {missing}"


def test_a_json_lines_export_in_gb18030(tmp_path: Path) -> None:
    text = _mapping_text(**{"format: csv": "format: jsonl"})
    mapping = load_mapping(_write(tmp_path, "j.yaml", text), policies())
    row = {
        "记录编号": "J1",
        "身份证号码": "11010519491231002X",
        "案号": "案1",
        "失信情形代码": "04",
    }
    lines = [
        json.dumps({**row, "立案日期": "2024年3月1日", "执行标的（元）": 1200, "备注": "x"}),
        json.dumps([1, 2]),
        json.dumps({**row, "记录编号": "J2", "立案日期": "20240302"}),
    ]
    path = tmp_path / "export.jsonl"
    path.write_bytes("\n".join(lines).encode("gb18030") + b"\n\xff\xff\n")
    mapped = open_mapped(path, mapping)
    rows = list(mapped.rows)
    assert [r.line for r in rows] == [1, 2, 3, 4] and mapped.read == 4
    assert rows[0].fields["amount"] == "1200" and rows[0].fields["item"] == "SPC-ASSET-REPORT"
    assert rows[1].reasons == ("a row of a JSON Lines export is a JSON object",)
    assert rows[2].fields["decided_on"] == "2024-03-02"
    assert rows[3].reasons[0].startswith("line 4 is not gb18030 text")
    assert unknown_keys(mapped) == ["key '备注' is not in the mapping: left out"]


def test_a_row_that_is_not_csv_is_a_row_problem(tmp_path: Path) -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    path = _court_file(
        tmp_path,
        [
            "R1,,11010519491231002X,案1,某法院,01,2024年3月1日,,100",
            f'R2,,11010519491231002X,"{huge}",某法院,01,2024年3月1日,,100',
            "R3,,11010519491231002X,案3,某法院,01,2024年3月1日,,100",
        ],
    )
    rows = list(open_mapped(path, court()).rows)
    assert [r.line for r in rows] == [2, 3, 4]
    assert rows[1].reasons[0].startswith("not CSV: field larger than field limit")
    assert not rows[0].reasons and not rows[2].reasons


def test_link_rows_and_link_mappings_are_checked(tmp_path: Path) -> None:
    links_map = MAPPINGS / "market-registration.yaml"
    text = links_map.read_text(encoding="utf-8")
    swapped = text.replace(
        "person: {column: 身份证件号码, identifier_kind: resident-identity-number}",
        "person: {column: 身份证件号码, identifier_kind: unified-social-credit-code}",
    )
    with pytest.raises(MappingError, match="person holds identifiers of persons"):
        load_mapping(_write(tmp_path, "l.yaml", swapped), policies())
    data = (MAPPINGS / "market-registration.csv").read_bytes().decode("utf-8-sig").splitlines()
    cells = data[1].split(",")
    cells[7] = "20100101"  # left before the start
    cells[4] = cells[4][:-1] + ("0" if cells[4][-1] != "0" else "1")  # a wrong check character
    path = tmp_path / "links.csv"
    path.write_text("\n".join([data[0], ",".join(cells)]) + "\n", encoding="utf-8-sig")
    (row,) = open_mapped(path, load_mapping(links_map, policies())).rows
    assert any(r.startswith("person: ") and "check character" in r for r in row.reasons)
    assert "valid_to 2010-01-01 is not after valid_from 2015-03-01" in row.reasons


def test_rows_estimate_for_the_progress_bar(tmp_path: Path) -> None:
    assert rows_estimate(COURT_CSV, court().model.source) == 12
    records = ROOT / "examples" / "records.jsonl"
    assert rows_estimate(records) == len(records.read_text(encoding="utf-8").splitlines())
    assert rows_estimate(tmp_path / "absent.csv") is None


BODIES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=120).map(lambda t: t.encode("gb18030", "replace")),
    st.lists(
        st.sampled_from([b"01", b"\x00", b"\n", b'"', b",", b"\xff", "２０".encode("gb18030")])
    ).map(b"".join),
)


@settings(max_examples=80, deadline=None)
@given(body=BODIES)
def test_any_bytes_under_the_header_are_rows_or_reasons(body: bytes) -> None:
    """Under a good header, any bytes become rows, each mapped or refused with reasons: never
    an exception, and every row read is counted."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(HEADER.encode("gb18030") + b"\r\n" + body)
        mapped = open_mapped(path, court())
        rows = list(mapped.rows)
    assert mapped.read == len(rows)
    assert all(isinstance(r.raw, dict) or r.reasons for r in rows)
    assert [r.line for r in rows] == sorted({r.line for r in rows})
