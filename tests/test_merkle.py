"""The Merkle tree against RFC 9162's recursive definition, and its inclusion proofs."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from socialcredit.registry.merkle import (
    EMPTY_ROOT,
    Frontier,
    inclusion_proof,
    root,
    verify_inclusion,
)


def _mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 section 2.1.1, written as the RFC writes it."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + _mth(leaves[:k]) + _mth(leaves[k:])).digest()


LEAVES = st.lists(st.binary(min_size=1, max_size=8), max_size=70)


@given(LEAVES)
def test_root_is_rfc_9162_mth(leaves: list[bytes]) -> None:
    assert root(leaves) == _mth(leaves)


@given(LEAVES, st.integers(min_value=0, max_value=70))
def test_a_frontier_resumes_where_it_stopped(leaves: list[bytes], cut: int) -> None:
    cut = min(cut, len(leaves))
    first = Frontier()
    for leaf in leaves[:cut]:
        first.append(leaf)
    resumed = Frontier.from_hex(first.size, first.to_hex())
    for leaf in leaves[cut:]:
        resumed.append(leaf)
    assert resumed.root() == _mth(leaves)


def test_every_leaf_is_proven_and_nothing_else() -> None:
    assert root([]) == EMPTY_ROOT
    for size in range(1, 34):
        leaves = [bytes([n]) for n in range(size)]
        expected = _mth(leaves)
        for index in range(size):
            proof = inclusion_proof(leaves, index)
            assert verify_inclusion(leaves[index], index, size, proof, expected)
            assert not verify_inclusion(b"forged", index, size, proof, expected)
            if proof:
                broken = [b"\x00" * 32, *proof[1:]]
                assert not verify_inclusion(leaves[index], index, size, broken, expected)
