"""Benchmark: the ingest rate of an agency's export read through its mapping, relative to the
plain submission (`records submit`) of the same records, in the same run. Not a test.

The records are the court's (items of policies/examples/judgment-defaulters.yaml), one per
subject. The plain file is JSON Lines in our field names; the export is the same records as
``examples/mappings/court-enforcement.yaml`` reads them: GB18030, Chinese headers, the court's
conduct codes, dates written 2024年3月1日 (a third in full-width digits), amounts with
separators and 元. Each is submitted to a fresh registry (SQLite by default, or ``--db-url``
templates), in alternating order, ``--rounds`` times; the best rate of each is compared
(target: the mapped rate at least 80% of the plain one).

    .venv/bin/python benchmarks/adapters.py --records 5000 --rounds 2
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from socialcredit.identity import example_credit_code, example_resident_id
from socialcredit.registry import Actor, Registry, RegistrySettings, initialise
from socialcredit.registry.workflows.policies import load_policy_files
from socialcredit.registry.workflows.uploads import Upload, mapping_file, submit_file
from socialcredit.registry.writes.submit import Submission

ROOT = Path(__file__).resolve().parents[1]
MAPPING = ROOT / "examples" / "mappings" / "court-enforcement.yaml"
COURT = "The enforcing people's court"
ACTOR = Actor("bench", "agency", "benchmark")
CODES = {"SPC-REFUSE": "01", "SPC-EVADE": "03", "SPC-ASSET-REPORT": "04"}
HEADER = ["序号", "记录编号", "被执行人名称", "统一社会信用代码", "身份证号码", "案号", "执行法院",
          "失信情形代码", "立案日期", "发布日期", "执行标的（元）"]  # fmt: skip


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def records(n: int) -> list[dict[str, str]]:
    items = list(CODES)
    out = []
    for i in range(n):
        organisation = i % 4 == 0
        subject = (
            example_credit_code(200_000 + i) if organisation else example_resident_id(200_000 + i)
        )
        decided = date(2022, 1, 1) + timedelta(days=i % 900)
        out.append(
            {
                "id": f"B{i:08d}",
                "subject": subject,
                "item": items[i % len(items)],
                "authority": "北京市朝阳区人民法院",
                "reference": f"（{decided.year}）京0105执{i}号",
                "decided_on": decided.isoformat(),
                "amount": str(1000 + i),
            }
        )
    return out


def write_plain(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_export(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="gb18030", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        for i, r in enumerate(rows):
            decided = date.fromisoformat(r["decided_on"])
            written = f"{decided.year}年{decided.month}月{decided.day}日"
            organisation = r["subject"].startswith("91")
            writer.writerow([
                i + 1, r["id"], "某某", r["subject"] if organisation else "",
                "" if organisation else r["subject"], r["reference"], r["authority"],
                CODES[r["item"]], _full_width(written) if i % 3 == 0 else written, "",
                f"{int(r['amount']):,}元",
            ])  # fmt: skip


def fresh(url: str) -> Registry:
    reg = Registry.open(RegistrySettings(database_url=url, chunk_size=1000))
    initialise(reg, date(2025, 6, 1))
    load_policy_files(reg, [ROOT / "policies" / "examples"], Actor("bench", "admin", "bench"))
    return reg


def timed(url: str, path: Path, mapped: bool) -> tuple[float, float]:
    """Records per wall-clock second and per CPU second of this process (the machine may be
    shared: CPU seconds are the steadier figure)."""
    reg = fresh(url)
    try:
        mapping = mapping_file(reg, MAPPING, COURT) if mapped else None
        with reg.session() as session:
            reg.policies(session)  # compiled before the clock starts, for both
        start, cpu = time.perf_counter(), time.process_time()
        found = submit_file(reg, Upload(path, mapping, path.name), Submission(COURT, ACTOR))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        reg.close()
    counts = found.counts()
    if counts["stored"] != counts["in"] or not found.balanced:
        raise RuntimeError(f"not every record was stored: {counts}")
    return counts["in"] / elapsed, counts["in"] / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    rows = records(args.records)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        plain, export = base / "records.jsonl", base / "export.csv"
        write_plain(rows, plain)
        write_export(rows, export)
        rates: dict[str, list[tuple[float, float]]] = {"plain": [], "mapped": []}
        for n in range(args.rounds):
            order = [("plain", plain, False), ("mapped", export, True)]
            for name, path, mapped in order if n % 2 == 0 else order[::-1]:
                url = f"sqlite:///{base / f'{name}-{n}.db'}"
                wall, cpu = timed(url, path, mapped)
                rates[name].append((wall, cpu))
                print(
                    f"round {n + 1} {name}: {wall:,.0f} records/s, {cpu:,.0f} per CPU s", flush=True
                )
    for i, label in ((0, "wall-clock"), (1, "CPU")):
        best_plain = max(r[i] for r in rates["plain"])
        best_mapped = max(r[i] for r in rates["mapped"])
        print(f"{label}: records {args.records:,}; best plain {best_plain:,.0f}/s, best mapped "
              f"{best_mapped:,.0f}/s; mapped/plain = {best_mapped / best_plain:.0%} "
              "(target >= 80%)")  # fmt: skip


if __name__ == "__main__":
    main()
