"""The bytes an audit entry's hash covers are the standard library's canonical JSON, whichever
encoder writes them (``audit.canonical`` uses orjson where it writes the same bytes)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from socialcredit.registry.audit import canonical

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _reference(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@given(st.dictionaries(st.text(), _VALUES, max_size=6))
def test_canonical_is_the_standard_librarys_bytes(value: dict[str, Any]) -> None:
    try:
        expected = _reference(value)
    except UnicodeEncodeError:  # a lone surrogate: neither encoder writes it
        return
    assert canonical(value) == expected


def test_canonical_on_an_entry_like_object() -> None:
    entry = {
        "seq": 7,
        "at": "2026-11-23T17:00:00.000001+00:00",
        "actor": "航空公司 \u2028 \t\x00",
        "details": {"service": "flight-booking", "batch": True, "n": 2**64, "x": 0.1},
        "subject_ref": None,
    }
    assert canonical(entry) == _reference(entry)
