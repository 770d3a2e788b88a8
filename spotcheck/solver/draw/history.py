"""What the year's earlier records say about this quarter (docs/draw-spec.md §4).

Items a firm already had this year, visits it already received, and the year-to-date counts for the summary and
the targets. Only records of the same year and earlier quarters are accepted, each quarter at most once.

Only visits that take place count: a visit deferred by the record's inspector-draw decisions
(``assignment.decisions``, action ``defer``, assign-spec §6) is left out, and a department dropped from a visit
(``drop_department``) leaves out its items and its place among the visit's departments (a visit left with no
department is left out). The record's digest is cited all the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import EntityKind
from spotcheck.solver.assign.inputs import decisions_from_dict
from spotcheck.solver.draw.record import record_digest

__all__ = ["YearHistory", "year_history"]


@dataclass(frozen=True)
class YearHistory:
    items_done: dict[str, frozenset[str]]  # uscc -> items checked earlier this year
    visit_count: dict[str, int]  # uscc -> visits earlier this year
    visits: int  # all visits earlier this year
    joint_visits: int
    enterprises: frozenset[str]  # enterprises visited earlier this year (coverage numerator)
    cited: tuple[dict[str, Any], ...]  # [{"year","quarter","digest"}] by quarter

    @staticmethod
    def empty() -> YearHistory:
        return YearHistory({}, {}, 0, 0, frozenset(), ())


def year_history(records: Sequence[dict[str, Any]], year: int, quarter: int) -> YearHistory:
    """Fold the earlier quarters' records; ValidationError for a record of another year or a repeated quarter."""
    by_quarter: dict[int, dict[str, Any]] = {}
    for rec in records:
        rec_year, rec_quarter = rec.get("year"), rec.get("quarter")
        if rec_year != year or not isinstance(rec_quarter, int) or not 1 <= rec_quarter < quarter:
            raise ValidationError(
                f"history record {rec_year}Q{rec_quarter} is not an earlier quarter of {year} before Q{quarter}"
            )
        if rec_quarter in by_quarter:
            raise ValidationError(f"history has two records for {year}Q{rec_quarter}")
        by_quarter[rec_quarter] = rec
    items: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    visits = joint = 0
    enterprises: set[str] = set()
    for q in sorted(by_quarter):
        for visit, done, departments in _taking_place(by_quarter[q]):
            uscc = visit["uscc"]
            items.setdefault(uscc, set()).update(done)
            count[uscc] = count.get(uscc, 0) + 1
            visits += 1
            joint += len(departments) >= 2
            if visit.get("kind") == EntityKind.ENTERPRISE.value:
                enterprises.add(uscc)
    cited = tuple(
        {"year": year, "quarter": q, "digest": record_digest(by_quarter[q])} for q in sorted(by_quarter)
    )
    return YearHistory(
        {k: frozenset(v) for k, v in items.items()}, count, visits, joint, frozenset(enterprises), cited
    )


def _taking_place(record: dict[str, Any]) -> list[tuple[dict[str, Any], list[str], list[str]]]:
    """(visit, items checked, departments going) for each visit of the record that takes place: without the
    visits deferred by its assignment decisions and without the items of departments dropped from a visit."""
    section = record.get("assignment")
    raw = section.get("decisions", []) if isinstance(section, dict) else []
    where = f"history record {record.get('year')}Q{record.get('quarter')} assignment.decisions"
    decisions = decisions_from_dict(raw, where)
    deferred = {d.visit for d in decisions if d.action == "defer"}
    dropped: dict[str, set[str]] = {}
    for d in decisions:
        if d.action == "drop_department":
            dropped.setdefault(d.visit, set()).add(d.department)
    owner = _item_departments(record.get("plan"))
    out = []
    for visit in record["visits"]:
        if visit["id"] in deferred:
            continue
        gone = dropped.get(visit["id"], set())
        departments = [d for d in visit["departments"] if d not in gone]
        if not departments:
            continue  # every department dropped: nobody goes
        # an item whose department the plan does not say stays counted (the conservative reading)
        done = [i for i in visit["items"] if owner.get(i) not in gone]
        out.append((visit, done, departments))
    return out


def _item_departments(plan: Any) -> dict[str, str]:
    """Item code -> department, from the record's plan (department tasks and joint tasks' participants)."""
    owner: dict[str, str] = {}
    if not isinstance(plan, dict):
        return owner
    for task in plan.get("tasks", []):
        for item in task.get("items", []):
            owner[item] = task["department"]
    for joint in plan.get("joint_tasks", []):
        for part in joint.get("participants", []):
            for item in part.get("items", []):
                owner[item] = part["department"]
    return owner
