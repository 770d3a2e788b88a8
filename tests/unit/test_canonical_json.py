"""Canonical JSON (docs/ceremony.md "Audit chain"): one text per value, floats refused wherever they are, and
text that only looks like a number inside a string left alone."""

from __future__ import annotations

import math

import pytest

from spotcheck.domain.errors import ValidationError
from spotcheck.evidence.canonical import canonical_json


def test_sorted_keys_compact_separators_utf8() -> None:
    assert canonical_json({"b": [1, True, None], "a": "临沂"}) == '{"a":"临沂","b":[1,true,null]}'


@pytest.mark.parametrize(
    "value",
    [1.5, -0.0, 1e20, math.inf, -math.inf, math.nan, {"a": {"b": [1, (2, 0.5)]}}, [{"x": 3.0}]],
)
def test_a_float_anywhere_is_refused(value: object) -> None:
    with pytest.raises(ValidationError, match="may not contain floats"):
        canonical_json(value)


@pytest.mark.parametrize(
    "value",
    [
        {"text": "1.5e3 NaN Infinity"},
        {"quoted": 'say "2.5" and \\ 3.0'},
        {"2.5": 1},
        [10, -7, 0, "0.1", True, False, None],
        {"big": 10**30},
    ],
)
def test_numbers_in_strings_and_integers_pass(value: object) -> None:
    assert canonical_json(value)
