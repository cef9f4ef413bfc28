"""Anonymous public reads are rate-limited per client; callers with a key are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcredit.api.app import ApiSettings, create_app
from socialcredit.api.main import ENVIRONMENT, settings_from_environment
from socialcredit.api.ratelimit import RateLimit, TokenBuckets
from socialcredit.registry import Registry
from tests.api.conftest import Keys


def test_token_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(RateLimit(per_minute=60, burst=2), clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(2)] == [0.0, 0.0]
    assert buckets.take("a") == 1.0  # one token a second: wait a second
    assert buckets.take("b") == 0.0  # another client has its own bucket
    now[0] = 1.5
    assert buckets.take("a") == 0.0
    assert 0 < buckets.take("a") <= 1.0


def test_anonymous_reads_get_429_past_the_burst(registry: Registry, keys: Keys) -> None:
    settings = ApiSettings(
        registry=registry.settings, auth_cache_seconds=0, public_reads_per_minute=1, public_burst=3
    )
    with TestClient(create_app(settings)) as client:
        codes = [client.get("/v1/public/policies").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/v1/public/lists")
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        assert limited.json()["code"] == "rate-limited"
        with_key = client.get("/v1/public/policies", headers=keys["airline"])
        assert with_key.status_code == 200
        assert client.get("/v1/health").status_code == 200  # only /v1/public is limited


def test_serve_passes_the_limits_and_anchors_to_its_workers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOCIALCREDIT_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    for field, value in (("public_reads_per_minute", "7"), ("anchor_dir", str(tmp_path))):
        monkeypatch.setenv(ENVIRONMENT[field], value)
    monkeypatch.delenv(ENVIRONMENT["public_burst"], raising=False)
    found = settings_from_environment()
    assert (found.public_reads_per_minute, found.public_burst) == (7, 60)
    assert found.anchor_dir == tmp_path
