"""Credit codes of the synthetic city: valid per python-stdnum, unique, laid out as GB 32100-2015 says."""

from __future__ import annotations

import numpy as np
import pytest
from stdnum.cn import uscc as stdnum_uscc

from spotcheck.domain.uscc import check_char
from spotcheck.synth.codes import Permutation, credit_codes
from spotcheck.synth.rng import generator, weighted

WALL_CLOCKS = ("time.time", "datetime.now", "date.today")  # the generator must not read the clock


def _codes(n: int, *, seed: str = "🐉 odd seed", old_every: int = 3) -> list[str]:
    rng = generator(seed, "codes")
    index = np.arange(n)
    return credit_codes(
        index,
        (index % 3) + 1,
        np.where(index % 2 == 0, 371302, 371329),
        index % old_every == 0,
        Permutation(rng, 31**7),
        Permutation(rng, 10**8),
    )


def test_every_code_passes_stdnum_and_the_reference_check() -> None:
    codes = _codes(5_000)
    assert all(stdnum_uscc.is_valid(code) for code in codes)
    assert all(check_char(code[:17]) == code[17] for code in codes)


def test_codes_are_unique_across_old_and_new_bodies() -> None:
    codes = _codes(200_000)
    assert len(set(codes)) == len(codes)


def test_layout_authority_category_division_and_body_style() -> None:
    codes = _codes(9)
    assert all(code[0] == "9" for code in codes)
    assert [code[1] for code in codes[:3]] == ["1", "2", "3"]
    assert codes[0][2:8] == "371302" and codes[1][2:8] == "371329"
    assert codes[0][8:16].isdigit()  # firm 0 is old-style: an 8-digit organisation code + check character
    assert codes[1][8:10] == "MA"  # the post-2015 form


def test_organisation_code_check_character_follows_gb_11714() -> None:
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    for code in _codes(3_000, old_every=1)[:3_000]:
        digits = code[8:16]
        check = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        assert code[16] == {10: "X", 11: "0"}.get(check, str(check))


def test_the_permutation_is_a_bijection_on_a_small_modulus() -> None:
    perm = Permutation(generator("x", "p"), 31**2)
    image = perm(np.arange(31**2))
    assert sorted(image.tolist()) == list(range(31**2))


def test_weighted_choice_is_seeded_and_follows_the_weights() -> None:
    a = weighted(generator("s", "w"), [1, 0, 3], 40_000)
    b = weighted(generator("s", "w"), [1, 0, 3], 40_000)
    assert np.array_equal(a, b)
    counts = np.bincount(a, minlength=3)
    assert counts[1] == 0
    assert abs(counts[2] / a.size - 0.75) < 0.01


def test_weighted_choice_refuses_bad_weights() -> None:
    with pytest.raises(ValueError):
        weighted(generator("s", "w"), [0, 0], 3)


def test_the_generator_never_touches_a_global_rng_or_the_clock() -> None:
    import re
    from pathlib import Path

    import spotcheck.synth

    allowed = {"np.random.Generator", "np.random.PCG64"}
    for path in sorted(Path(spotcheck.synth.__file__).parent.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import random|from random )", text, re.MULTILINE), path.name
        assert set(re.findall(r"np\.random\.\w+", text)) <= allowed, path.name
        assert [clock for clock in WALL_CLOCKS if clock in text] == [], path.name
