"""Officers' lottery numbers are the documented SHA-256 bytes, and anyone can recompute them."""

from __future__ import annotations

import contextlib
import hashlib
import io

from spotcheck.solver.assign.lottery import officer_number, officer_numbers, recompute_snippet
from tests.unit.solver.test_assign_kit import SEED

VISIT = "2026Q1-91350200776049653A"


def test_the_number_is_the_documented_hash() -> None:
    message = SEED + b"officer\x00" + VISIT.encode() + b"\x00" + b"SCJG-00042"
    expected = int.from_bytes(hashlib.sha256(message).digest()[:8], "big")
    assert officer_number(SEED, VISIT, "SCJG-00042") == expected


def test_the_vectorised_numbers_agree_with_the_definition() -> None:
    ids = [f"XF-{i:05d}" for i in range(50)]
    many = officer_numbers(SEED, VISIT, [i.encode() for i in ids]).tolist()
    assert many == [officer_number(SEED, VISIT, i) for i in ids]
    assert len(set(many)) == 50


def test_the_snippet_prints_the_same_number() -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(recompute_snippet(SEED.hex(), VISIT, "执法-7"), {})  # noqa: S102 - our own snippet, checked here
    assert int(printed.getvalue()) == officer_number(SEED, VISIT, "执法-7")


def test_the_spec_vector() -> None:
    seed = bytes.fromhex("00112233445566778899aabbccddeeff" * 2)
    assert officer_number(seed, VISIT, "SCJG-00042") == 11779437237769588739  # docs/assign-spec.md §2
