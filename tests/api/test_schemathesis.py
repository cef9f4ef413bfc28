"""schemathesis against the live OpenAPI schema of a running server: no server error, no
response outside the schema (status codes, content types, bodies). Each operation is called
with the key of the role it serves, so the generated requests reach the handlers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from socialcredit.api.app import ApiSettings
from tests.api.conftest import Keys, make_keys, open_registry
from tests.api.server import running
from tests.registry.conftest import database
from tests.registry.helpers import P1, spc

pytestmark = pytest.mark.slow  # generated requests against the whole API

ROLE_OF_PREFIX = (
    ("/v1/agency", "court"),
    ("/v1/checks", "airline"),
    ("/v1/service", "airline"),
    ("/v1/subjects", "subject"),
    ("/v1/review", "reviewer"),
    ("/v1/admin", "admin"),
    ("/v1/me", "subject"),
)
EXAMPLES = 10
# Not ``positive_data_acceptance``: check characters, catalogue codes and the order of a
# record's dates cannot be written in JSON Schema, so a schema-valid request can rightly get a
# 422 problem. Everything about the responses is checked.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.ignored_auth,
]


@pytest.fixture(params=["sqlite", "postgresql"])
def live_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Keys]]:
    with database(request.param, tmp_path) as db_url:
        reg = open_registry(db_url)
        keys = make_keys(reg)
        try:
            settings = ApiSettings(  # no rate limit: every generated request reaches its route
                registry=reg.settings,
                auth_cache_seconds=60,
                public_reads_per_minute=1_000_000,
                public_burst=1_000_000,
            )
            with running(settings) as url:
                with httpx.Client(base_url=url) as http:
                    http.post("/v1/agency/records", json=spc("F1"), headers=keys["court"])
                yield url, keys
        finally:
            reg.close()


def _headers(keys: Keys, path: str) -> dict[str, str]:
    for prefix, principal in ROLE_OF_PREFIX:
        if path.startswith(prefix):
            return keys[principal]
    return {}


def _fuzz(operation: Any, keys: Keys) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        if "subject_id" in (case.path_parameters or {}):
            case.path_parameters["subject_id"] = P1
        case.call_and_validate(headers=_headers(keys, case.path), checks=CHECKS)

    run()


def test_no_server_error_and_no_schema_violation(live_url: tuple[str, Keys]) -> None:
    url, keys = live_url
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    failures = []
    for operation in operations:
        try:
            _fuzz(operation, keys)
        except Exception as exc:  # collect every operation's failure, report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
