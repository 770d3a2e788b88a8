"""The figures behind the regulator's charts, recounted from the stored visits (deferred visits excluded, as
``queries.year`` counts them): coverage and joint share by quarter (year to date) against the 5% / 10%
targets, each beside what the frozen layout expected (``services.expectation``: the plan check's projection);
visits and joint share by department, by district and by credit tier (expected beside realised), officers'
workload, result categories and overdue results (docs/draw-spec.md §5, §6 for the measures)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from sqlalchemy import select

from spotcheck.domain.categories import CATEGORIES
from spotcheck.queries.visits import split
from spotcheck.queries.workload import workload
from spotcheck.queries.year import QuarterLine, year_totals
from spotcheck.services.draws import draw_record
from spotcheck.services.expectation import Expectation, expectation
from spotcheck.services.results import deadlines, inspected, latest_results
from spotcheck.store.tables import DistrictRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["Bar", "Cumulative", "Figures", "TierBar", "figures"]

_CATEGORY = {c.code: c.label_zh for c in CATEGORIES}
TIER_NAMES = {"A": "A 信用风险低", "B": "B 信用风险一般", "C": "C 信用风险较高", "D": "D 信用风险高"}


@dataclass(frozen=True)
class Bar:
    label: str
    visits: int
    joint_visits: int

    @property
    def joint_percent(self) -> float:
        return round(100 * self.joint_visits / self.visits, 2) if self.visits else 0.0


@dataclass(frozen=True)
class Cumulative:
    """One quarter's year-to-date coverage and joint share (percent), realised and expected (None: not frozen)."""

    label: str
    coverage: float
    joint: float
    expected_coverage: float | None
    expected_joint: float | None


@dataclass(frozen=True)
class TierBar:
    tier: str
    visits: int
    joint_visits: int
    expected_visits: float | None
    expected_joint: float | None


def _pct(x: Fraction) -> float:
    return round(float(x * 100), 2)


@dataclass
class Figures:
    year: int
    quarter: int
    target_coverage: float  # percent
    target_joint: float
    quarters: list[Cumulative] = field(default_factory=list)
    tiers: list[TierBar] = field(default_factory=list)
    departments: list[Bar] = field(default_factory=list)
    districts: list[Bar] = field(default_factory=list)
    workload: list[tuple[str, int, int]] = field(default_factory=list)  # (officer, visits, capacity)
    categories: list[tuple[str, int]] = field(default_factory=list)
    overdue: list[tuple[str, int]] = field(default_factory=list)  # (department, overdue results)
    visits: int = 0  # carried out this quarter (deferred excluded)


def figures(factory: Callable[[], UnitOfWork], plan_id: int, *, today: date) -> Figures:
    """Every figure of the charts page for ``plan_id``'s quarter (``factory`` opens units of work)."""
    with factory() as uow:
        plan = uow.plans.get(plan_id)
        totals = year_totals(uow, plan.year, plan.quarter)
        owed = inspected(uow, plan_id)
        pairs = {(v.id, d) for v, d in owed}
        carried = sorted({v.id: (split(v.departments), v.district, v.joint) for v, _ in owed}.items())
        names = {d.code: d.name for d in uow.directory.all("departments")}
        districts = {r.code: r.name for r in uow.session.execute(select(DistrictRow)).scalars()}
        load = workload(uow, plan_id)
        codes = [r.category for r in latest_results(uow, plan_id).values() if r.category]
        year, quarter = plan.year, plan.quarter
        tier_of = {v["id"]: v.get("tier", "") for v in draw_record(uow, plan_id).get("visits", [])}
    expect = {q.plan_id: expectation(factory(), q.plan_id) for q in totals.quarters}
    out = Figures(
        year,
        quarter,
        float(totals.targets.coverage * 100),
        float(totals.targets.joint_share * 100),
        visits=len(carried),
    )
    out.quarters = _cumulative(totals.quarters, expect, totals.enterprises)
    out.tiers = _tiers(carried, tier_of, expect.get(plan_id))
    by_dept: Counter[str] = Counter()
    joint_dept: Counter[str] = Counter()
    by_district: Counter[str] = Counter()
    joint_district: Counter[str] = Counter()
    for _visit, (departments, district, joint) in carried:
        for d in departments:
            by_dept[d] += 1
            joint_dept[d] += joint
        by_district[district] += 1
        joint_district[district] += joint
    out.departments = [Bar(names.get(d, d), n, joint_dept[d]) for d, n in sorted(by_dept.items())]
    out.districts = [Bar(districts.get(d, d), n, joint_district[d]) for d, n in sorted(by_district.items())]
    out.workload = [(f"{w.name} {w.officer}", w.visits, w.capacity) for w in load if w.visits]
    counted = Counter(_CATEGORY.get(code, code) for code in codes)
    out.categories = sorted(counted.items())
    due = deadlines(factory(), plan_id, today=today, only_overdue=True)
    late = Counter(d.department for d in due if (d.visit, d.department) in pairs)
    out.overdue = [(names.get(d, d), n) for d, n in sorted(late.items())]
    return out


def _cumulative(
    lines: Sequence[QuarterLine], expect: dict[int, Expectation | None], firms: int
) -> list[Cumulative]:
    """Year to date after each quarter: realised as recounted; expected = the earlier quarters as realised plus
    this quarter's expectation under its frozen layout."""
    out = []
    new = visits = joint = 0
    for q in lines:
        e = expect.get(q.plan_id)
        cov = joint_share = None
        if e is not None:
            cov = _pct((new + e.new_enterprises) / max(firms, 1))
            joint_share = _pct((joint + e.joint_visits) / max(visits + e.visits, Fraction(1)))
        out.append(Cumulative(f"Q{q.quarter}", _pct(q.coverage), _pct(q.joint_share), cov, joint_share))
        new, visits, joint = new + q.new_enterprises, visits + q.visits, joint + q.joint_visits
    return out


def _tiers(
    carried: Sequence[tuple[str, tuple[list[str], str, bool]]],
    tier_of: dict[str, str],
    expect: Expectation | None,
) -> list[TierBar]:
    """Visits carried out by the firm's credit tier at the freeze, beside the expected (before deferrals)."""
    by_tier: Counter[str] = Counter()
    joint_tier: Counter[str] = Counter()
    for visit, (_departments, _district, joint) in carried:
        by_tier[tier_of.get(visit, "")] += 1
        joint_tier[tier_of.get(visit, "")] += joint
    planned = {t: (v, j) for t, v, j in expect.by_tier} if expect else {}
    tiers = sorted(set(by_tier) | set(planned))
    return [
        TierBar(
            TIER_NAMES.get(t, t or "—"),
            by_tier[t],
            joint_tier[t],
            round(float(planned[t][0]), 1) if t in planned else None,
            round(float(planned[t][1]), 1) if t in planned else None,
        )
        for t in tiers
    ]
