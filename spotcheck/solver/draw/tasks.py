"""One view of the plan's department tasks and joint tasks for the draw (docs/draw-spec.md §3).

A joint task is drawn once, and a firm it draws gets every participant; a department task is a joint task of one.
Tasks are ordered by id, and every per-task list in the solver follows that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from spotcheck.domain.errors import Problem, ValidationError
from spotcheck.domain.model import City, Plan, Scope, Tier

__all__ = ["DrawTask", "draw_tasks"]


@dataclass(frozen=True)
class DrawTask:
    id: str
    lead: str
    departments: tuple[str, ...]  # sorted
    items: tuple[str, ...]  # sorted, every participant's items
    scope: Scope
    ratios: dict[Tier, Fraction]
    planned_joint: bool  # a joint task planned by a lead department

    def ratio(self, tier: Tier) -> Fraction:
        return self.ratios.get(tier, Fraction(0))


def draw_tasks(plan: Plan, city: City | None = None) -> tuple[DrawTask, ...]:
    """The plan's tasks as DrawTasks sorted by id; ValidationError lists every inconsistency found."""
    problems: list[Problem] = []
    tasks: list[DrawTask] = []
    for t in plan.tasks:
        tasks.append(
            DrawTask(t.id, t.department, (t.department,), tuple(sorted(t.items)), t.scope, t.ratios, False)
        )
    for j in plan.joint_tasks:
        departments = tuple(sorted({p.department for p in j.participants}))
        items = tuple(sorted({i for p in j.participants for i in p.items}))
        if len(departments) < 2:
            problems.append(Problem(None, f"joint task {j.id}", "needs at least two departments"))
        if j.lead not in departments:
            problems.append(Problem(None, f"joint task {j.id}", f"lead {j.lead} is not a participant"))
        tasks.append(DrawTask(j.id, j.lead, departments, items, j.scope, j.ratios, True))
    tasks.sort(key=lambda t: t.id)
    ids = [t.id for t in tasks]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(None, f"task {dup}", "task id used more than once"))
    if city is not None:
        problems += _check_against_city(plan, city)
    for drawn in tasks:
        if not drawn.items:
            problems.append(Problem(None, f"task {drawn.id}", "has no check items"))
    if problems:
        raise ValidationError("the plan is inconsistent", problems)
    return tuple(tasks)


def _check_against_city(plan: Plan, city: City) -> list[Problem]:
    problems: list[Problem] = []
    item_dept = {i.code: i.department for i in city.items}
    departments = {d.code for d in city.departments}
    pairs = [(t.id, t.department, t.items) for t in plan.tasks]
    pairs += [(j.id, p.department, p.items) for j in plan.joint_tasks for p in j.participants]
    for task_id, dept, items in pairs:
        if dept not in departments:
            problems.append(Problem(None, f"task {task_id}", f"unknown department {dept}"))
        for item in items:
            if item not in item_dept:
                problems.append(Problem(None, f"task {task_id}", f"unknown check item {item}"))
            elif item_dept[item] != dept:
                problems.append(Problem(None, f"task {task_id}", f"item {item} belongs to {item_dept[item]}"))
    return problems
