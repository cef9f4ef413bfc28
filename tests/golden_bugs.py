"""Golden cases where the engine disagrees with docs/semantics.md (shared by the engine's and
the batch scorer's golden tests)."""

KNOWN_ENGINE_BUGS: dict[str, str] = {}
"""Case name -> the bug. Their ``expected.json`` holds the output the spec requires, and they are
expected to fail (strictly) until the engine is fixed."""
