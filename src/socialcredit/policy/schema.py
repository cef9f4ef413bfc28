"""The JSON Schema of the policy format, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from socialcredit.policy.models import PolicyFile

SCHEMA_ID = "https://socialcredit.invalid/schema/policy.schema.json"


def policy_json_schema() -> dict[str, Any]:
    schema = PolicyFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def policy_json_schema_text() -> str:
    """The schema as committed in ``schema/policy.schema.json`` (stable key order)."""
    return json.dumps(policy_json_schema(), indent=2, ensure_ascii=False) + "\n"
