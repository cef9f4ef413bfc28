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


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", "/v1/me", None), ("POST", "/v1/checks", {"subject": P1, "service": "x"})],
)
def test_a_purpose_over_200_characters_is_refused(
    client: TestClient, keys: Keys, method: str, path: str, body: object
) -> None:
    """On a route whose caller is a dependency and on one whose route class admits it."""
    headers = keys["airline"] | {"X-Purpose": "p" * 201}
    found = problem(
        client.request(method, path, json=body, headers=headers), 422, "request-invalid"
    )
    assert found["details"]["errors"][0]["location"] == ["header", "x-purpose"]
    assert found["details"]["errors"][0]["type"] == "string_too_long"


def test_callers_are_admitted_before_the_body_is_read(client: TestClient, keys: Keys) -> None:
    """As with a dependency: no key, or a key of another role, is refused before the body is
    validated (an empty body would be a 422)."""
    problem(client.post("/v1/checks", json={}), 401, "unauthenticated")
    problem(client.post("/v1/checks/batch", json={}, headers=keys["court"]), 403, "access-denied")


def test_every_route_with_a_caller_documents_the_key_and_the_purpose(client: TestClient) -> None:
    operations = [
        op for ops in client.get("/openapi.json").json()["paths"].values() for op in ops.values()
    ]
    keyed = [op for op in operations if "security" in op]
    assert len(keyed) == len(operations) - 0  # every route admits its callers by a rule
    for operation in keyed:
        names = [(p["in"], p["name"]) for p in operation.get("parameters", [])]
        assert names.count(("header", "x-purpose")) == 1, operation["operationId"]
        (purpose,) = [p for p in operation["parameters"] if p["name"] == "x-purpose"]
        # the limit the header's check enforces (201 characters are refused above)
        assert purpose["schema"]["anyOf"][0]["maxLength"] == 200
