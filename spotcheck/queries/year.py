"""The year's totals, recounted from the stored visits and the stored directory (not taken from the draw
records' summaries), for the demo's report and the dashboard's charts.

    year_totals(uow, year, quarters) -> YearTotals   with one QuarterLine per stored plan of quarters 1..N

Coverage = unique enterprises visited / enterprises in the directory (docs/draw-spec.md §6: kind enterprise,
status not excluded); joint share = visits with two or more departments / all visits. Both, and the legal checks
(an item once a year per firm, the yearly visit cap), count the visits carried out: a visit deferred at the
inspector draw (no lawful team) is counted apart and, as in the draw's history (docs/draw-spec.md §4), leaves
the firm free for its items in a later quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select

from spotcheck.domain.model import EXCLUDED_STATUSES, EntityKind, Targets
from spotcheck.store.directory import EnterpriseRow
from spotcheck.store.quarter import AssignmentRow, PlanRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["QuarterLine", "YearTotals", "recount", "year_totals"]

_EXCLUDED = sorted(s.value for s in EXCLUDED_STATUSES)
_ENTERPRISE = EntityKind.ENTERPRISE.value


@dataclass(frozen=True)
class QuarterLine:
    """One quarter as stored: its plan, state and visits (recounted from the visits table)."""

    quarter: int
    plan_id: int
    state: str
    visits: int  # carried out (staffed; before the inspector draw: planned)
    joint_visits: int
    deferred: int  # drawn, deferred at the inspector draw: not carried out this quarter
    enterprises_visited: int  # unique enterprises visited this quarter
    new_enterprises: int  # of which not visited earlier in the year
    coverage: Fraction  # year to date after this quarter
    joint_share: Fraction  # year to date after this quarter


@dataclass(frozen=True)
class YearTotals:
    """The year so far (quarters 1..N), recounted from the stored visits."""

    year: int
    quarters: tuple[QuarterLine, ...]
    visits: int  # carried out
    joint_visits: int
    deferred: int
    # (visits, joint, enterprises) as the last draw record's summary counts them: earlier quarters carried
    # out, the last one drawn; a report compares it with the record to show the two agree.
    drawn: tuple[int, int, int]
    enterprises_visited: int  # unique enterprises (kind enterprise) visited in the year
    enterprises: int  # coverage denominator: enterprises in the directory whose status is not excluded
    enterprises_all: int  # every enterprise in the directory, gone ones included
    most_visits_per_firm: int
    repeated_items: int  # (firm, item) pairs checked more than once in the year: 0 by law
    targets: Targets

    @property
    def coverage(self) -> Fraction:
        return Fraction(self.enterprises_visited, max(self.enterprises, 1))

    @property
    def joint_share(self) -> Fraction:
        return Fraction(self.joint_visits, max(self.visits, 1))

    @property
    def coverage_met(self) -> bool:
        return self.coverage >= self.targets.coverage

    @property
    def joint_share_met(self) -> bool:
        return self.joint_share >= self.targets.joint_share


@dataclass(frozen=True)
class _Stored:
    """What the recount reads, in one transaction."""

    everyone: int
    active: int
    rows: list[
        Any
    ]  # (quarter, id, state, visit, uscc, departments, items, kind) per visit, plans without any
    staffed: set[tuple[str, int]]  # (visit, plan) with at least one assignment
    targets: Targets


def year_totals(uow: UnitOfWork, year: int, quarters: int) -> YearTotals:
    """Quarters 1..``quarters`` of ``year`` recounted from the stored visits and the stored directory."""
    with uow:
        return recount(uow, year, quarters)


def recount(uow: UnitOfWork, year: int, quarters: int) -> YearTotals:
    """``year_totals`` on a unit of work the caller has open (a page's or an API request's)."""
    stored = _read(uow, year, quarters)
    assigned = {plan for _, plan in stored.staffed}
    teams = {visit for visit, _ in stored.staffed}
    by_plan: dict[tuple[int, int, str], list[Any]] = {}  # stored rows by (quarter, plan, state)
    for r in stored.rows:
        by_plan.setdefault((r.quarter, r.id, r.state), []).extend([r] if r.uscc is not None else [])
    lines: list[QuarterLine] = []
    seen: set[str] = set()
    count: dict[str, int] = {}
    done: dict[str, set[str]] = {}
    repeated = visits = joint = deferred = 0
    as_recorded = (0, 0, 0)
    for (quarter, plan_id, state), drawn in by_plan.items():
        # What this quarter's record summary counts: earlier quarters' visits carried out, this quarter's drawn.
        as_recorded = (
            visits + len(drawn),
            joint + sum(1 for r in drawn if _is_joint(r)),
            len(seen | {r.uscc for r in drawn if r.kind == _ENTERPRISE}),
        )
        rows = [r for r in drawn if plan_id not in assigned or r.visit in teams]
        for r in rows:
            count[r.uscc] = count.get(r.uscc, 0) + 1
            had = done.setdefault(r.uscc, set())
            items = set(r.items.split(";"))
            repeated += len(had & items)
            had |= items
        firms = {r.uscc for r in rows if r.kind == _ENTERPRISE}
        q_joint = sum(1 for r in rows if _is_joint(r))
        new = firms - seen
        seen |= firms
        visits += len(rows)
        joint += q_joint
        deferred += len(drawn) - len(rows)
        lines.append(
            QuarterLine(
                quarter=quarter,
                plan_id=plan_id,
                state=state,
                visits=len(rows),
                joint_visits=q_joint,
                deferred=len(drawn) - len(rows),
                enterprises_visited=len(firms),
                new_enterprises=len(new),
                coverage=Fraction(len(seen), max(stored.active, 1)),
                joint_share=Fraction(joint, max(visits, 1)),
            )
        )
    return YearTotals(
        year=year,
        quarters=tuple(lines),
        visits=visits,
        joint_visits=joint,
        deferred=deferred,
        drawn=as_recorded,
        enterprises_visited=len(seen),
        enterprises=stored.active,
        enterprises_all=stored.everyone,
        most_visits_per_firm=max(count.values(), default=0),
        repeated_items=repeated,
        targets=stored.targets,
    )


def _is_joint(row: Any) -> bool:
    return len(row.departments.split(";")) >= 2


def _read(uow: UnitOfWork, year: int, quarters: int) -> _Stored:
    session = uow.session
    kind_count = select(func.count()).select_from(EnterpriseRow).where(EnterpriseRow.kind == _ENTERPRISE)
    everyone = int(session.execute(kind_count).scalar_one())
    active = int(session.execute(kind_count.where(EnterpriseRow.status.not_in(_EXCLUDED))).scalar_one())
    in_year = (PlanRow.year == year, PlanRow.quarter <= quarters)
    rows = list(
        session.execute(
            select(PlanRow.quarter, PlanRow.id, PlanRow.state, VisitRow.id.label("visit"), VisitRow.uscc,
                   VisitRow.departments, VisitRow.items, EnterpriseRow.kind)
            .join(VisitRow, VisitRow.plan_id == PlanRow.id, isouter=True)
            .join(EnterpriseRow, EnterpriseRow.uscc == VisitRow.uscc, isouter=True)
            .where(*in_year)
            .order_by(PlanRow.quarter, PlanRow.id, VisitRow.id)
        )
    )  # fmt: skip
    staffed = {
        (visit, plan)
        for visit, plan in session.execute(
            select(AssignmentRow.visit_id, VisitRow.plan_id)
            .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
            .join(PlanRow, PlanRow.id == VisitRow.plan_id)
            .where(*in_year, AssignmentRow.current())
            .distinct()
        )
    }
    last = max((r.id for r in rows), default=None)
    targets = uow.plans.plan(last).targets if last is not None else Targets()
    return _Stored(everyone=everyone, active=active, rows=rows, staffed=staffed, targets=targets)
