"""A Merkle tree over the audit log's entries, as Certificate Transparency builds one.

RFC 9162 (section 2.1): a leaf's hash is ``SHA-256(0x00 || leaf)``, an inner node's is
``SHA-256(0x01 || left || right)``, and a tree of ``n`` leaves splits at the largest power of
two below ``n``. Our leaves are the entries' chain hashes (32 bytes each, in ``seq`` order).

A :class:`Frontier` holds the roots of the perfect subtrees that make up a tree of ``size``
leaves (at most log2(size) of them), so a log can be extended entry by entry and its root read
at any size without keeping the leaves. Inclusion proofs (RFC 9162 section 2.1.3) let a
subject check that an entry about them is in a tree whose root an anchored checkpoint signs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


@dataclass
class Frontier:
    """The perfect subtrees of a tree of ``size`` leaves, largest (leftmost) first."""

    size: int = 0
    peaks: list[bytes] = field(default_factory=list)

    def append(self, leaf: bytes) -> None:
        """Add one leaf (its raw bytes; the leaf hash is taken here)."""
        node = leaf_hash(leaf)
        size = self.size
        while size & 1:  # merge with every completed subtree of the same height
            node = node_hash(self.peaks.pop(), node)
            size >>= 1
        self.peaks.append(node)
        self.size += 1

    def root(self) -> bytes:
        """The tree head: the peaks folded from the right, as RFC 9162's split makes them."""
        if not self.peaks:
            return EMPTY_ROOT
        node = self.peaks[-1]
        for peak in reversed(self.peaks[:-1]):
            node = node_hash(peak, node)
        return node

    def to_hex(self) -> list[str]:
        return [peak.hex() for peak in self.peaks]

    @classmethod
    def from_hex(cls, size: int, peaks: Sequence[str]) -> Frontier:
        if len(peaks) != bin(size).count("1"):
            raise ValueError(f"a tree of {size} leaves has {bin(size).count('1')} peaks")
        return cls(size, [bytes.fromhex(peak) for peak in peaks])


def root(leaves: Sequence[bytes]) -> bytes:
    """The root of the tree over ``leaves`` (RFC 9162 MTH)."""
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path of leaf ``index`` (0-based) in the tree over ``leaves`` (RFC 9162 PATH)."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf {index} is not in a tree of {len(leaves)} leaves")
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return [*inclusion_proof(leaves[:k], index), root(leaves[k:])]
    return [*inclusion_proof(leaves[k:], index - k), root(leaves[:k])]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """Whether ``proof`` shows ``leaf`` at ``index`` in a tree of ``size`` leaves with root
    ``expected_root`` (RFC 9162 section 2.1.3.2)."""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    node = leaf_hash(leaf)
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            node = node_hash(sibling, node)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            node = node_hash(node, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and node == expected_root
