"""Publication of the base: ``socialcredit catalogue`` (EN and ZH, JSON and table), the public
HTTP endpoints, and ``policy check --explain``."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from socialcredit.api.routers.public import router
from socialcredit.cli.app import app
from socialcredit.policy.base import base_catalogue

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_catalogue_json_lists_every_entry_and_measure_in_both_languages() -> None:
    result = runner.invoke(app, ["catalogue", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    base = base_catalogue()
    entries = data["catalogue"]["entries"]
    assert [e["code"] for e in entries] == list(base.entries)
    assert all(e["title"]["en"] and e["title"]["zh"] for e in entries)
    assert all(e["instruments"][0]["article"] for e in entries)
    measures = data["measures"]["measures"]
    assert [m["code"] for m in measures] == list(base.measures)
    assert all(m["content"]["zh"] for m in measures)
    assert {r["id"] for r in data["measures"]["roles"]} == set(base.roles)


def test_catalogue_table_in_chinese_and_one_part() -> None:
    result = runner.invoke(app, ["catalogue", "--part", "entries", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "失信被执行人" in result.output
    assert "BM-HIGH-CONSUMPTION" not in result.output
    measures = runner.invoke(app, ["catalogue", "--part", "measures"])
    assert "BM-HIGH-CONSUMPTION" in measures.output
    assert "BC-JUDGMENT-DEFAULTER" in measures.output  # as a trigger


def test_the_public_api_publishes_the_base() -> None:
    web = FastAPI()
    web.include_router(router)
    client = TestClient(web)
    catalogue = client.get("/v1/public/base-catalogue")
    assert catalogue.status_code == 200
    assert len(catalogue.json()["entries"]) == len(base_catalogue().entries)
    measures = client.get("/v1/public/base-measures").json()
    assert {m["code"] for m in measures["measures"]} == set(base_catalogue().measures)
    fare = next(m for m in measures["measures"] if m["code"] == "BM-TRANSIT-FARE-DISCOUNT")
    assert (fare["form"], fare["max_discount_percent"]) == ("fare_discount", 50)


def test_explain_names_the_base_and_how_the_policy_narrows_it() -> None:
    path = ROOT / "policies" / "examples" / "enterprise.yaml"
    result = runner.invoke(app, ["policy", "check", "--explain", str(path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "item ENT-FOOD-SAFETY: rests on BC-FOOD-SAFETY-PENALTY" in out
    assert "Food Safety Law of the PRC" in out
    assert "counts for 3y (base at most 3y)" in out
    assert "measure exclude-from-procurement: rests on BM-PROCUREMENT-EXCLUSION" in out
    assert "Government Procurement Law of the PRC" in out


def test_explain_prints_a_scorecard_model_card() -> None:
    path = ROOT / "policies" / "examples" / "commercial-credit.yaml"
    result = runner.invoke(app, ["policy", "check", "--explain", str(path)])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert any(line.startswith("scorecard commercial-credit: base 600") for line in lines)
    assert "every 50 points double them" in result.output
    shares = [line for line in lines if line.endswith("% of the spread")]
    assert len(shares) == 5
    # the spreads are 160, 150, 150, 160 and 150 points of 770
    assert [s.rsplit(", ", 1)[1] for s in shares] == [
        "20.8% of the spread",
        "19.5% of the spread",
        "19.5% of the spread",
        "20.8% of the spread",
        "19.5% of the spread",
    ]
    assert "bins: < 1: +0 | 1 to 2: +60 | >= 3: +150" in lines
    assert "entered through score commercial-credit" in result.output


def test_explain_is_not_printed_for_a_refused_policy() -> None:
    path = ROOT / "policies" / "refused" / "score-laundering.yaml"
    result = runner.invoke(app, ["policy", "check", "--explain", str(path)])
    assert result.exit_code == 1
    assert "rests on" not in result.output
