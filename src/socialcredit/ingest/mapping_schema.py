"""The JSON Schema of the mapping format, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from socialcredit.ingest.mapping_models import MappingFile

SCHEMA_ID = "https://socialcredit.invalid/schema/mapping.schema.json"


def mapping_json_schema() -> dict[str, Any]:
    schema = MappingFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def mapping_json_schema_text() -> str:
    """The schema as committed in ``schema/mapping.schema.json`` (stable key order)."""
    return json.dumps(mapping_json_schema(), indent=2, ensure_ascii=False) + "\n"
