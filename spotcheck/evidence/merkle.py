"""A Merkle tree as in RFC 6962 §2.1 (Certificate Transparency), over a list of leaves given as bytes.

Definitions (docs/publication.md "The tree"), SHA-256 throughout, ``‖`` concatenation:

- the hash of an empty list is SHA-256 of nothing;
- a leaf's hash is ``SHA-256(0x00 ‖ leaf)``;
- for n > 1 leaves, with k the largest power of two smaller than n, the root is
  ``SHA-256(0x01 ‖ root(leaves[0:k]) ‖ root(leaves[k:n]))``.

An inclusion proof (audit path) of leaf m in a tree of n leaves lists the sibling hashes from the leaf up to the
root (RFC 6962 §2.1.1); ``verify_inclusion`` recomputes the root from the leaf, its index, the size and the path
(RFC 9162 §2.1.3.2). The prefixes 0x00 and 0x01 keep a leaf from passing for an inner node. Pure: hashlib only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = [
    "EMPTY_ROOT",
    "inclusion_path",
    "leaf_hash",
    "node_hash",
    "root",
    "root_of_hashes",
    "verify_inclusion",
]

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    """SHA-256(0x00 ‖ leaf)."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of_hashes(hashes: Sequence[bytes]) -> bytes:
    """The root over leaves given by their leaf hashes (``leaf_hash`` of each), in order."""
    if not hashes:
        return EMPTY_ROOT
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return node_hash(root_of_hashes(hashes[:k]), root_of_hashes(hashes[k:]))


def root(leaves: Sequence[bytes]) -> bytes:
    """The tree's root over ``leaves`` (raw leaf bytes), in order."""
    return root_of_hashes([leaf_hash(leaf) for leaf in leaves])


def inclusion_path(hashes: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree over ``hashes`` (leaf hashes), nearest sibling first."""
    if not 0 <= index < len(hashes):
        raise IndexError(f"leaf {index} is not in a tree of {len(hashes)} leaves")
    if len(hashes) == 1:
        return []
    k = _split(len(hashes))
    if index < k:
        return inclusion_path(hashes[:k], index) + [root_of_hashes(hashes[k:])]
    return inclusion_path(hashes[k:], index - k) + [root_of_hashes(hashes[:k])]


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes], expected_root: bytes) -> bool:
    """True when ``leaf`` at ``index`` of a tree of ``size`` leaves with audit ``path`` gives ``expected_root``."""
    if not 0 <= index < size:
        return False
    fn, sn, node = index, size - 1, leaf_hash(leaf)
    for sibling in path:
        if sn == 0:
            return False  # a path longer than the tree is high
        if fn & 1 or fn == sn:
            node = node_hash(sibling, node)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = node_hash(node, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and node == expected_root
