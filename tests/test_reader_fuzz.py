"""The file readers meet any bytes with a reason, never an exception: record files (JSON Lines
and CSV) and policy files, fuzzed with Hypothesis (part of the standing abuse suite)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.errors import InputError
from socialcredit.ingest.files import rows
from socialcredit.policy.yamlsource import read_yaml

PREFIXES = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"{", b"[" * 300, b"id,subject\n"])
BODIES = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([b'{"id": "x"}', b"\x00", b"\n", b'"', b",", b"\xe9"])).map(b"".join),
)


def _write(suffix: str, data: bytes) -> Path:
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as handle:
        handle.write(data)
    return Path(handle.name)


@settings(max_examples=60, deadline=None)
@given(PREFIXES, BODIES, st.sampled_from([".jsonl", ".csv"]))
def test_record_files_never_raise_unexpectedly(prefix: bytes, body: bytes, suffix: str) -> None:
    path = _write(suffix, prefix + body)
    try:
        for line, row in rows(path):
            assert line >= 1 and isinstance(row, dict | str)
    except InputError as exc:
        assert str(path) in exc.message
    finally:
        path.unlink()


@settings(max_examples=60, deadline=None)
@given(PREFIXES, BODIES)
def test_policy_files_never_raise_unexpectedly(prefix: bytes, body: bytes) -> None:
    path = _write(".yaml", prefix + body)
    try:
        doc = read_yaml(path)  # a null document (empty, a comment, "~") has no data and no problem
        assert all(problem.location == str(path) for problem in doc.problems)
    finally:
        path.unlink()
