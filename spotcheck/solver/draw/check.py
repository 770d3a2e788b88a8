"""The plan check before any seed (docs/draw-spec.md §6): capacity, then the yearly targets.

Every refusal is an ``InfeasiblePlan`` naming the binding input (``binding``) and how far off it is
(``shortfall``). Projections assume the remaining quarters of the year repeat this quarter's plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from spotcheck.domain.errors import InfeasiblePlan
from spotcheck.domain.model import CITY_LEVEL, City, Plan
from spotcheck.solver.draw.eligibility import Cell, Eligibility
from spotcheck.solver.draw.expectation import Expected, Layout, expected
from spotcheck.solver.draw.frame import TIERS, Frame
from spotcheck.solver.draw.history import YearHistory
from spotcheck.solver.draw.tasks import DrawTask

__all__ = [
    "Margin",
    "Projection",
    "Z",
    "assess",
    "check_capacity",
    "coverage_bound",
    "expected_draws",
    "joint_variance",
    "project",
    "refuse_targets",
]

Z = 2  # the margin aimed at, in standard deviations of the yearly projection (draw-spec §5, §6)


def _decimal(x: Fraction, places: int) -> str:
    """``x`` to ``places`` decimals, rounded half away from zero, in integers (record text: no floats)."""
    scaled = abs(x) * 10**places
    digits = str(math.floor(scaled + Fraction(1, 2))).rjust(places + 1, "0")
    sign = "-" if x < 0 and digits.strip("0") else ""
    return sign + (f"{digits[:-places]}.{digits[-places:]}" if places else digits)


def _pct(x: Fraction) -> str:
    return _decimal(x * 100, 2) + "%"


def _sd(variance: Fraction) -> Fraction:
    """√variance, rounded up to 1/10^6 (integers only)."""
    return Fraction(math.isqrt(math.ceil(variance * 10**12)) + 1, 10**6) if variance > 0 else Fraction(0)


class Projection:
    """Projected yearly coverage and joint share if the rest of the year repeats this quarter.

    ``coverage_variance``: the variance of that coverage, each remaining quarter an independent Poisson draw.
    """

    def __init__(self, exp: Expected, history: YearHistory, directory: int, remaining: int) -> None:
        self.coverage = Fraction(
            len(history.enterprises) + remaining * exp.new_enterprises, max(directory, 1)
        )
        self.coverage_variance = remaining * exp.new_variance / max(directory, 1) ** 2
        visits = history.visits + remaining * exp.visits
        self.joint_share = (
            (history.joint_visits + remaining * exp.joint_visits) / visits if visits else Fraction(0)
        )


@dataclass(frozen=True)
class Margin:
    """A projected yearly share beside its target: met with the margin, at risk (within Z σ), or short."""

    target: Fraction
    projected: Fraction
    variance: Fraction

    @property
    def short(self) -> bool:
        return self.projected < self.target

    @property
    def at_risk(self) -> bool:
        """Reaches the target in expectation but by less than Z standard deviations (exact comparison)."""
        gap = self.projected - self.target
        return gap >= 0 and gap * gap < Z * Z * self.variance

    def sigmas(self) -> str | None:
        """(projected − target) / σ, rounded toward zero to 1/100, in integers; None when σ = 0."""
        if self.variance <= 0:
            return None
        gap = self.projected - self.target
        hundredths = math.isqrt(math.floor(gap * gap * 10**4 / self.variance))
        return _decimal(Fraction(-hundredths if gap < 0 else hundredths, 100), 2)

    def record(self) -> dict[str, Any]:
        return {
            "target": str(self.target),
            "projected": str(self.projected),
            "variance": str(self.variance),
            "sigmas": self.sigmas(),
            "at_risk": self.at_risk,
        }

    def text(self) -> str:
        """The projection and one standard deviation, as in "4.80% ± 0.20%"."""
        return f"{_pct(self.projected)} ± {_pct(_sd(self.variance))}"


def expected_draws(tasks: tuple[DrawTask, ...], cells: tuple[Cell, ...]) -> Fraction:
    """Expected draws of one quarter, Σ eligible · ratio over tasks and tiers (≥ the expected visits)."""
    return sum(
        (
            c.count * tasks[i].ratio(TIERS[c.tier])
            for c in cells
            for i in range(len(tasks))
            if c.tasks >> i & 1
        ),
        Fraction(0),
    )


def joint_variance(share: Fraction, draws: Fraction) -> Fraction:
    """Variance of the yearly joint share as the coordination's margin counts it: share · (1 − share) / D,
    with D the visits so far plus the remaining quarters' expected draws (draw-spec §5)."""
    return share * (1 - share) / draws if draws > 0 else Fraction(0)


def project(
    tasks: tuple[DrawTask, ...], layout: Layout, elig: Eligibility, history: YearHistory, quarter: int
) -> tuple[Expected, Projection]:
    exp = expected(tasks, layout, elig.cells)
    return exp, Projection(exp, history, elig.directory_enterprises, 5 - quarter)


def coverage_bound(tasks: tuple[DrawTask, ...], cells: tuple[Cell, ...]) -> tuple[Fraction, Fraction]:
    """Most new enterprises one quarter can reach (intervals laid end to end, never overlapping), and the
    variance of that count (each firm drawn independently with p = min(1, Σ ratio))."""
    total = variance = Fraction(0)
    for cell in cells:
        if cell.new:
            reach = sum(tasks[i].ratio(TIERS[cell.tier]) for i in range(len(tasks)) if cell.tasks >> i & 1)
            p = min(Fraction(1), Fraction(reach))
            total += cell.count * p
            variance += cell.count * p * (1 - p)
    return total, variance


def _coverage_strata(tasks: tuple[DrawTask, ...], cells: tuple[Cell, ...], most: int = 3) -> str:
    """The ratios that bind coverage: the strata (task, tier) with the most new enterprises eligible whose
    ratio is below 1, named with their ratio and that count, most first."""
    new: dict[tuple[int, int], int] = {}
    for cell in cells:
        if cell.new:
            for i in range(len(tasks)):
                if cell.tasks >> i & 1 and tasks[i].ratio(TIERS[cell.tier]) < 1:
                    new[i, cell.tier] = new.get((i, cell.tier), 0) + cell.count
    ranked = sorted(new, key=lambda key: (-new[key], key))[:most]
    if not ranked:
        return "no ratio is below 1: widen the scopes"
    names = ", ".join(
        f"{tasks[i].id} tier {TIERS[k].value} ({tasks[i].ratio(TIERS[k])}; {new[i, k]} new enterprises eligible)"
        for i, k in ranked
    )
    return f"raise the ratios of {names}"


def _enterprises_short(goal: Fraction, projected: Fraction, directory: int, remaining: int) -> str:
    """How far off, in enterprises: for the year, and as new enterprises a quarter over the remaining ones."""
    year = math.ceil((goal - projected) * directory)
    quarter = math.ceil(Fraction(year, max(remaining, 1)))
    return (
        f"{year} enterprise{'s' * (year != 1)} this year, about {quarter}"
        f" more new enterprise{'s' * (quarter != 1)} a quarter"
    )


def check_capacity(
    city: City, plan: Plan, frame: Frame, tasks: tuple[DrawTask, ...], elig: Eligibility
) -> None:
    """Expected officer-visits per department and district within the officers' quarterly capacity.

    Conservative: every task's expected draws are counted, as if no two tasks of a department overlapped.
    City-level officers (if the plan allows them) cover any district's excess.
    """
    team = {i.code: i.team_size for i in city.items}
    owner = {i.code: i.department for i in city.items}
    ndist = len(frame.districts)
    stratum = frame.district.astype(np.int32) * len(TIERS) + frame.tier  # (district, tier) of every firm
    per_task: dict[str, np.ndarray] = {}  # eligible firms per (district, tier), computed once per task
    for dept in sorted({d for t in tasks for d in t.departments}):
        need = [Fraction(0)] * ndist
        for task, mask in zip(tasks, elig.masks, strict=True):
            if dept not in task.departments:
                continue
            size = max([team[i] for i in task.items if i in team and owner.get(i) == dept] or [2])
            counts = per_task.get(task.id)
            if counts is None:
                counts = per_task[task.id] = np.bincount(stratum[mask], minlength=ndist * len(TIERS))
            for k in range(ndist):
                for t, tier in enumerate(TIERS):
                    n = int(counts[k * len(TIERS) + t])
                    if n:
                        need[k] += n * task.ratio(tier) * size
        own = {k: 0 for k in frame.districts}
        city_level = 0
        for officer in city.inspectors:
            if officer.department != dept or not officer.active:
                continue
            if officer.district == CITY_LEVEL:
                city_level += officer.capacity if plan.allow_city_level else 0
            elif officer.district in own:
                own[officer.district] += officer.capacity
        excess = {frame.districts[k]: need[k] - own[frame.districts[k]] for k in range(ndist)}
        short = {k: v for k, v in excess.items() if v > 0}
        if sum(short.values(), Fraction(0)) > city_level:
            worst = max(sorted(short), key=lambda k: short[k])
            raise InfeasiblePlan(
                f"department {dept} lacks inspectors: district {worst} needs about {float(need[frame.districts.index(worst)]):.0f}"
                f" officer-visits this quarter but its officers can do {own[worst]}"
                f" (city-level officers available: {city_level}); total excess {float(sum(short.values())):.0f}",
                binding=f"inspectors:{dept}:{worst}",
                shortfall=str(sum(short.values(), Fraction(0)) - city_level),
            )


def refuse_targets(
    plan: Plan,
    tasks: tuple[DrawTask, ...],
    layout_found: Layout | None,
    aligned: Layout,
    elig: Eligibility,
    history: YearHistory,
) -> None:
    """Raise InfeasiblePlan if a target is out of reach, naming why; return if the found layout meets both in
    expectation (``assess`` then says whether either is at risk: within Z σ of its target)."""
    targets, remaining, year = plan.targets, 5 - plan.quarter, plan.year
    directory = max(elig.directory_enterprises, 1)
    reach, spread = coverage_bound(tasks, elig.cells)
    bound = Margin(
        targets.coverage,
        Fraction(len(history.enterprises) + remaining * reach, directory),
        remaining * spread / directory**2,
    )
    if bound.short:
        raise InfeasiblePlan(
            f"coverage target {_pct(targets.coverage)} is out of reach: even with no overlap between tasks the"
            f" ratios reach at most {bound.text()} of {elig.directory_enterprises} enterprises in {year}"
            f" (short by {_pct(targets.coverage - bound.projected)}:"
            f" {_enterprises_short(targets.coverage, bound.projected, directory, remaining)});"
            f" {_coverage_strata(tasks, elig.cells)}, or widen the scopes",
            binding="ratios",
            shortfall=str(targets.coverage - bound.projected),
        )
    _, best_joint = project(tasks, aligned, elig, history, plan.quarter)
    if best_joint.joint_share < targets.joint_share:
        raise InfeasiblePlan(
            f"joint-share target {_pct(targets.joint_share)} is out of reach: even with every task's interval"
            f" aligned, joint visits are at most {_pct(best_joint.joint_share)} of visits in {year}"
            f" (short by {_pct(targets.joint_share - best_joint.joint_share)}); department tasks need overlapping"
            " scopes across departments, or add joint tasks",
            binding="scopes",
            shortfall=str(targets.joint_share - best_joint.joint_share),
        )
    if layout_found is None:
        raise InfeasiblePlan(
            "no coordination reaches the joint-share target: the overlapping scopes are too small for it",
            binding="scopes",
            shortfall="unknown",
        )
    coverage, joint = _margins(plan, tasks, layout_found, elig, history)
    if coverage.short or joint.short:
        said = []
        if coverage.short:
            said.append(
                f"coverage projects {coverage.text()} for {year}; target {_pct(targets.coverage)}"
                f" (short by {_pct(targets.coverage - coverage.projected)}:"
                f" {_enterprises_short(targets.coverage, coverage.projected, directory, remaining)})"
            )
        if joint.short:
            said.append(
                f"joint share projects {joint.text()} for {year}; target {_pct(targets.joint_share)}"
                f" (short by {_pct(targets.joint_share - joint.projected)})"
            )
        advice = (
            _coverage_strata(tasks, elig.cells) if coverage.short else "raise the ratios of overlapping tasks"
        )
        raise InfeasiblePlan(
            f"{'; '.join(said)}: with the joint-share target the best coordination cannot meet both; {advice}"
            ", or add joint tasks",
            binding="ratios+scopes",
            shortfall=str(max(targets.coverage - coverage.projected, Fraction(0))),
        )


def _margins(
    plan: Plan, tasks: tuple[DrawTask, ...], layout: Layout, elig: Eligibility, history: YearHistory
) -> tuple[Margin, Margin]:
    """Coverage and joint share of the layout beside their targets, with their variances."""
    _, got = project(tasks, layout, elig, history, plan.quarter)
    draws = history.visits + (5 - plan.quarter) * expected_draws(tasks, elig.cells)
    return (
        Margin(plan.targets.coverage, got.coverage, got.coverage_variance),
        Margin(plan.targets.joint_share, got.joint_share, joint_variance(plan.targets.joint_share, draws)),
    )


def assess(
    plan: Plan, tasks: tuple[DrawTask, ...], layout: Layout, elig: Eligibility, history: YearHistory
) -> tuple[dict[str, Any], list[str]]:
    """The record's ``margins`` (both targets: target, projection, variance, margin in σ, at risk) and its
    ``warnings``: one sentence per target projected at or above its goal but by less than Z σ."""
    coverage, joint = _margins(plan, tasks, layout, elig, history)
    warnings = []
    directory, remaining = max(elig.directory_enterprises, 1), 5 - plan.quarter
    if coverage.at_risk:
        wanted = coverage.target + Z * _sd(coverage.variance)
        warnings.append(
            f"coverage at risk: projects {coverage.text()} for {plan.year}, {coverage.sigmas()}σ above the"
            f" target {_pct(coverage.target)} (the plan aims at {Z}σ; short of it by"
            f" {_enterprises_short(wanted, coverage.projected, directory, remaining)});"
            f" {_coverage_strata(tasks, elig.cells)}"
        )
    if joint.at_risk:
        warnings.append(
            f"joint share at risk: projects {joint.text()} for {plan.year}, {joint.sigmas()}σ above the"
            f" target {_pct(joint.target)} (the plan aims at {Z}σ); raise the ratios of overlapping tasks of"
            " different departments, or add joint tasks"
        )
    margins = {"z": Z, "coverage": coverage.record(), "joint_share": joint.record()}
    return margins, warnings
