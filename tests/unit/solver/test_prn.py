from __future__ import annotations

import hashlib
from fractions import Fraction

import numpy as np
import pytest

from spotcheck.domain.errors import ValidationError
from spotcheck.solver.draw.prn import (
    MODULUS,
    lottery_number,
    lottery_numbers,
    parse_seed,
    recompute_snippet,
    threshold,
)
from tests.unit.solver.citykit import code

SEED = bytes.fromhex("00112233445566778899aabbccddeeff")


def test_lottery_number_is_pinned_for_a_real_code() -> None:
    assert lottery_number(SEED, "91350200776049653A") == 14137425438798156235


def test_lottery_number_matches_the_hexdigest_definition() -> None:
    digest = hashlib.sha256(SEED + b"91440101MA5CJQ4N59").hexdigest()
    assert lottery_number(SEED, "91440101MA5CJQ4N59") == int(digest[:16], 16)


def test_fast_path_equals_the_definition_for_every_firm() -> None:
    codes = [code(n) for n in range(1000)]
    fast = lottery_numbers(SEED, np.array([c.encode() for c in codes], dtype="S18"))
    assert fast.dtype == np.uint64
    assert [int(x) for x in fast] == [lottery_number(SEED, c) for c in codes]


def test_progress_reaches_the_total() -> None:
    seen: list[tuple[int, int]] = []
    lottery_numbers(
        SEED, np.array([code(n).encode() for n in range(10)], dtype="S18"), lambda d, n: seen.append((d, n))
    )
    assert seen[-1] == (10, 10)


@pytest.mark.parametrize(
    ("ratio", "expected"), [(Fraction(0), 0), (Fraction(1), MODULUS), (Fraction(1, 2), MODULUS // 2)]
)
def test_threshold_is_floor_of_ratio_times_2_to_64(ratio: Fraction, expected: int) -> None:
    assert threshold(ratio) == expected


def test_threshold_rounds_down_exactly() -> None:
    assert threshold(Fraction(1, 3)) == MODULUS // 3
    assert threshold(Fraction("0.05")) == MODULUS * 5 // 100


@pytest.mark.parametrize("bad", ["xyz", "00ff", "0" * 31])
def test_bad_seeds_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        parse_seed(bad)


def test_seed_hex_is_case_insensitive() -> None:
    assert parse_seed("AB" * 16) == parse_seed("ab" * 16)


def test_the_recompute_snippet_prints_the_number() -> None:
    snippet = recompute_snippet(SEED.hex(), "91350200776049653A")
    printed: list[object] = []
    exec(snippet, {"print": lambda *a: printed.extend(a)})  # noqa: S102 - our own snippet
    assert printed[0] == lottery_number(SEED, "91350200776049653A")
