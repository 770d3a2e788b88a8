"""Fairness by simulation: each stratum's inclusion frequency matches its ratio, coordination and history on."""

from __future__ import annotations

from dataclasses import replace

from spotcheck.solver.draw.fairness import simulate
from spotcheck.solver.draw.quarter import draw_quarter, prepare
from spotcheck.solver.draw.select import select
from tests.unit.solver import citykit

SEEDS = 400
BOUND = 4.5  # |z| beyond 4.5 happens by chance about once in 150,000 strata


def test_inclusion_matches_ratio_per_task_and_tier_with_coordination() -> None:
    city = citykit.city(1500)
    prep = prepare(city)
    assert any(any(row) for row in prep.layout.offsets), "coordination should move some intervals"
    strata = simulate(prep, SEEDS)
    assert len(strata) >= 15
    worst = max(strata, key=lambda s: abs(s.z))
    assert abs(worst.z) < BOUND, worst
    worst_spread = max(strata, key=lambda s: abs(s.chi2_z))
    assert abs(worst_spread.chi2_z) < BOUND, worst_spread


def test_inclusion_is_conditional_on_eligibility_after_history() -> None:
    city = citykit.city(1500)
    first = draw_quarter(city, year=2026, quarter=1, seed="77" * 16)
    prep = prepare(replace(city, plan=citykit.plan(quarter=2)), history=[first])
    strata = simulate(prep, SEEDS)
    assert max(abs(s.z) for s in strata) < BOUND
    assert max(abs(s.chi2_z) for s in strata) < BOUND


def test_the_statistic_rejects_a_biased_draw() -> None:
    """Power check: a draw that never picks the lowest tenth of credit codes fails the same bounds."""
    prep = prepare(citykit.city(1500))

    def biased(frame, lottery, layout, masks):  # type: ignore[no-untyped-def]
        return [rows[rows >= len(frame) // 10] for rows in select(frame, lottery, layout, masks)]

    strata = simulate(prep, SEEDS, biased)
    assert max(abs(s.z) for s in strata) >= BOUND or max(abs(s.chi2_z) for s in strata) >= BOUND
