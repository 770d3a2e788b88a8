from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import Tier, TierRecord
from spotcheck.solver.draw.frame import TIERS, from_city, tiers_in_force
from tests.unit.solver import citykit


def test_row_order_does_not_change_the_frame() -> None:
    city = citykit.city(200)
    shuffled = replace(city, enterprises=tuple(reversed(city.enterprises)), tiers=tuple(reversed(city.tiers)))
    a, b = from_city(city, date(2026, 1, 1)), from_city(shuffled, date(2026, 1, 1))
    for column in ("codes", "kind", "district", "industry", "status", "tier"):
        assert np.array_equal(getattr(a, column), getattr(b, column))
    assert list(a.codes) == sorted(a.codes)


def test_duplicate_codes_are_refused() -> None:
    city = citykit.city(20)
    with pytest.raises(ValidationError, match="more than once"):
        from_city(replace(city, enterprises=city.enterprises + city.enterprises[:1]), date(2026, 1, 1))


def test_tier_in_force_is_latest_effective_then_greater_batch() -> None:
    records = (
        TierRecord("X", Tier.A, date(2025, 1, 1), "1"),
        TierRecord("X", Tier.D, date(2026, 2, 1), "2"),  # not yet in force on 2026-01-01
        TierRecord("X", Tier.C, date(2025, 6, 1), "1"),
        TierRecord("X", Tier.B, date(2025, 6, 1), "2"),
    )
    assert tiers_in_force(records, date(2026, 1, 1)) == {"X": Tier.B}


def test_untiered_firms_are_general_risk() -> None:
    city = citykit.city(40)
    frame = from_city(replace(city, tiers=()), date(2026, 1, 1))
    assert set(frame.tier.tolist()) == {TIERS.index(Tier.B)}
