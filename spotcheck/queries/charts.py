"""The figures behind the regulator's charts, recounted from the stored visits (deferred visits excluded, as
``queries.year`` counts them): coverage and joint share by quarter (year to date) against the 5% / 10%
targets, visits and joint share by department and by district, officers' workload, result categories and
overdue results (docs/draw-spec.md §6 for the measures)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from spotcheck.domain.categories import CATEGORIES
from spotcheck.queries.visits import split
from spotcheck.queries.workload import workload
from spotcheck.queries.year import year_totals
from spotcheck.services.results import deadlines, inspected, latest_results
from spotcheck.store.tables import DistrictRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["Bar", "Figures", "figures"]

_CATEGORY = {c.code: c.label_zh for c in CATEGORIES}


@dataclass(frozen=True)
class Bar:
    label: str
    visits: int
    joint_visits: int

    @property
    def joint_percent(self) -> float:
        return round(100 * self.joint_visits / self.visits, 2) if self.visits else 0.0


@dataclass
class Figures:
    year: int
    quarter: int
    target_coverage: float  # percent
    target_joint: float
    quarters: list[tuple[str, float, float]] = field(default_factory=list)  # (label, coverage %, joint %)
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
    out = Figures(
        year,
        quarter,
        float(totals.targets.coverage * 100),
        float(totals.targets.joint_share * 100),
        visits=len(carried),
    )
    out.quarters = [
        (f"Q{q.quarter}", round(float(q.coverage * 100), 2), round(float(q.joint_share * 100), 2))
        for q in totals.quarters
    ]
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
