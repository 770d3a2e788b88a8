"""Shared solver fixtures: the 1500-firm kit city and its 2026Q1 draw under a fixed seed."""

from __future__ import annotations

from typing import Any

import pytest

from spotcheck.solver.draw.quarter import draw_quarter
from tests.unit.solver import citykit

SEED = "5eed" * 16


@pytest.fixture(scope="module")
def city() -> Any:
    return citykit.city(1500)


@pytest.fixture(scope="module")
def q1(city: Any) -> dict[str, Any]:
    return draw_quarter(city, year=2026, quarter=1, seed=SEED)
