"""A plan checked against the city: departments, items and the department each belongs to, districts."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from spotcheck.domain.errors import Problem, ValidationError
from spotcheck.domain.model import Plan, Scope

__all__ = ["check_plan", "plan_problems"]


def plan_problems(
    plan: Plan,
    *,
    departments: Collection[str],
    items: Mapping[str, str],
    districts: Collection[str] | None = None,
) -> list[Problem]:
    """What in ``plan`` refers to unknown departments/items/districts; ``items`` maps item code -> department."""
    problems: list[Problem] = []

    def check(path: str, dept: str, codes: tuple[str, ...], scope: Scope) -> None:
        if dept not in departments:
            problems.append(Problem(None, f"{path}.department", f"unknown department {dept!r}"))
        for code in codes:
            owner = items.get(code)
            if owner is None:
                problems.append(Problem(None, f"{path}.items", f"unknown item {code!r}"))
            elif owner != dept:
                problems.append(
                    Problem(None, f"{path}.items", f"item {code!r} belongs to {owner}, not {dept}")
                )
        for code in scope.districts if districts is not None else ():
            if districts is not None and code not in districts:
                problems.append(Problem(None, f"{path}.scope.districts", f"unknown district {code!r}"))

    for task in plan.tasks:
        check(f"task {task.id}", task.department, task.items, task.scope)
    for joint in plan.joint_tasks:
        for p in joint.participants:
            check(f"joint task {joint.id} ({p.department})", p.department, p.items, joint.scope)
    return problems


def check_plan(
    plan: Plan,
    *,
    departments: Collection[str],
    items: Mapping[str, str],
    districts: Collection[str] | None = None,
) -> None:
    problems = plan_problems(plan, departments=departments, items=items, districts=districts)
    if problems:
        raise ValidationError(f"plan {plan.year}Q{plan.quarter}: {len(problems)} problem(s)", problems)
