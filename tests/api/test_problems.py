"""Every error is an RFC 9457 problem; an unexpected one leaks nothing and logs no identifier."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import Keys
from tests.api.helpers import problem
from tests.registry.helpers import P1


def test_http_errors_are_problems(client: TestClient, keys: Keys) -> None:
    problem(client.get("/v1/nowhere"), 404, "not-found")
    problem(client.delete("/v1/checks", headers=keys["airline"]), 405, "method-not-allowed")
    problem(client.get("/v1/public/catalogue", params={"limit": 0}), 422, "request-invalid")
    problem(client.get("/v1/me", headers={"Authorization": "Basic eDp5"}), 401, "unauthenticated")
    assert client.get("/v1/me").headers["www-authenticate"] == "Bearer"


def test_an_unexpected_error_is_a_bare_500(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(subject_id: str) -> None:
        raise RuntimeError(f"database said something about {subject_id}")

    app = client.app
    assert isinstance(app, FastAPI)
    app.add_api_route("/v1/boom/{subject_id}", boom)
    with caplog.at_level(logging.DEBUG):
        body = problem(client.get(f"/v1/boom/{P1}"), 500, "internal-error")
    assert body["detail"] == "an unexpected error occurred"
    server_side = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert server_side == ["unexpected RuntimeError on GET /v1/boom/{subject_id}"]


def test_the_openapi_schema_documents_problems(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    response = schema["paths"]["/v1/checks"]["post"]["responses"]["403"]
    assert list(response["content"]) == ["application/problem+json"]
    assert schema["components"]["schemas"]["RecordIn"]["additionalProperties"] is False
    batch = schema["components"]["schemas"]["CheckBatchIn"]["properties"]["checks"]
    assert batch["maxItems"] == 1000
    assert all(p.startswith("/v1/") for p in schema["paths"])
