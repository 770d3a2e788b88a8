"""The RFC 6962 Merkle tree: roots written out by hand for 1..8 leaves, the Certificate Transparency test
leaves' published roots, every inclusion path verifying, and any change to a leaf, index, size or path failing."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spotcheck.evidence.merkle import (
    EMPTY_ROOT,
    inclusion_path,
    leaf_hash,
    node_hash,
    root,
    root_of_hashes,
    verify_inclusion,
)

# The test leaves of the Certificate Transparency reference implementation (RFC 6962).
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def by_hand(leaves: list[bytes]) -> bytes:
    """The roots for 1..8 leaves, each tree shape written out as RFC 6962's split gives it."""
    a, b, c, d, e, f, g, h = [sha(b"\x00" + x) for x in leaves + [b""] * (8 - len(leaves))]

    def n(left: bytes, right: bytes) -> bytes:
        return sha(b"\x01" + left + right)

    return {
        1: a,
        2: n(a, b),
        3: n(n(a, b), c),
        4: n(n(a, b), n(c, d)),
        5: n(n(n(a, b), n(c, d)), e),
        6: n(n(n(a, b), n(c, d)), n(e, f)),
        7: n(n(n(a, b), n(c, d)), n(n(e, f), g)),
        8: n(n(n(a, b), n(c, d)), n(n(e, f), n(g, h))),
    }[len(leaves)]


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_tree_written_out_by_hand_and_the_ct_vectors(size: int) -> None:
    leaves = CT_LEAVES[:size]
    assert root(leaves) == by_hand(leaves)
    assert root(leaves).hex() == CT_ROOTS[size - 1]


def test_the_empty_tree_and_the_prefixes() -> None:
    assert root([]) == EMPTY_ROOT == sha(b"")
    assert leaf_hash(b"x") == sha(b"\x00x") and node_hash(b"l", b"r") == sha(b"\x01lr")
    assert root_of_hashes([leaf_hash(b"x")]) == leaf_hash(b"x")


def test_a_path_written_out_for_five_leaves() -> None:
    leaves = CT_LEAVES[:5]
    a, b, c, d, e = [leaf_hash(x) for x in leaves]
    assert inclusion_path([a, b, c, d, e], 2) == [d, node_hash(a, b), e]
    assert inclusion_path([a, b, c, d, e], 4) == [node_hash(node_hash(a, b), node_hash(c, d))]
    assert inclusion_path([a], 0) == []
    with pytest.raises(IndexError):
        inclusion_path([a, b], 2)


@pytest.mark.parametrize("size", range(1, 9))
def test_every_path_verifies_and_a_changed_leaf_does_not(size: int) -> None:
    leaves = CT_LEAVES[:size]
    hashes = [leaf_hash(x) for x in leaves]
    top = root(leaves)
    for index, leaf in enumerate(leaves):
        path = inclusion_path(hashes, index)
        assert verify_inclusion(leaf, index, size, path, top)
        assert not verify_inclusion(leaf + b"!", index, size, path, top)
        assert not verify_inclusion(leaf, index, size, path + [top], top)
        assert not verify_inclusion(leaf, size, size, path, top)


leaf_lists = st.lists(st.binary(max_size=12), min_size=1, max_size=40)


@given(leaf_lists, st.data())
def test_any_inclusion_path_verifies_against_the_root(leaves: list[bytes], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(leaves) - 1))
    path = inclusion_path([leaf_hash(x) for x in leaves], index)
    assert verify_inclusion(leaves[index], index, len(leaves), path, root(leaves))
    assert len(path) <= (len(leaves) - 1).bit_length()


@given(leaf_lists, st.data())
def test_a_proof_for_one_index_fails_at_another(leaves: list[bytes], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(leaves) - 1))
    other = data.draw(st.integers(0, len(leaves) - 1).filter(lambda i: leaves[i] != leaves[index]))
    path = inclusion_path([leaf_hash(x) for x in leaves], index)
    assert not verify_inclusion(leaves[other], index, len(leaves), path, root(leaves))


@given(leaf_lists, st.binary(max_size=12))
def test_appending_a_leaf_changes_the_root_and_keeps_the_prefix(leaves: list[bytes], extra: bytes) -> None:
    longer = leaves + [extra]
    assert root(longer) != root(leaves)
    hashes = [leaf_hash(x) for x in longer]
    assert root_of_hashes(hashes[: len(leaves)]) == root(leaves)
