"""plan.json <-> Plan (docs/formats.md). Ratios travel as decimal strings and are read exactly as fractions.

``parse_plan`` (here) checks the plan on its own (shape, quarter, tiers, joint tasks' lead and participants);
``plan_problems`` (plan_refs.py) checks it against the city (departments, items and their departments,
districts); ``plan_to_dict`` (plan_dump.py) is canonical: sorted lists, every ratio a shortest decimal string,
so equal plans give equal JSON.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from spotcheck.domain.errors import Problem, ValidationError
from spotcheck.domain.model import EntityKind, JointTask, Participant, Plan, Scope, Targets, Task, Tier
from spotcheck.ingest.plan_dump import decimal_string, plan_to_dict  # re-exported: one import path for plans
from spotcheck.ingest.plan_refs import check_plan, plan_problems

__all__ = ["check_plan", "decimal_string", "parse_plan", "plan_problems", "plan_to_dict"]

_DECIMAL = re.compile(r"\d+(\.\d+)?")


class _Reader:
    """Walks the JSON, recording a Problem (field = JSON path) for each bad value."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, path: str, reason: str) -> None:
        self.problems.append(Problem(None, path, reason))

    def obj(self, value: Any, path: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.bad(path, "must be an object")
            return {}
        for key in sorted(set(value) - allowed):
            self.bad(f"{path}.{key}", "unknown field")
        for key in sorted(required - set(value)):
            self.bad(f"{path}.{key}", "missing")
        return value

    def integer(self, value: Any, path: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.bad(path, f"must be a whole number, not {value!r}")
            return low
        if not low <= value <= high:
            self.bad(path, f"{value} is outside {low}..{high}")
        return value

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.bad(path, "must be a non-empty string")
            return ""
        return value.strip()

    def texts(self, value: Any, path: str, *, non_empty: bool = False) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.bad(path, "must be a list of strings")
            return ()
        if non_empty and not value:
            self.bad(path, "must not be empty")
        items = [self.text(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if len(set(items)) != len(items):
            self.bad(path, "lists an entry twice")
        return tuple(sorted(set(items)))

    def ratio(self, value: Any, path: str) -> Fraction:
        if not isinstance(value, str):
            self.bad(path, f'must be a decimal string such as "0.05", not the JSON value {value!r}')
            return Fraction(0)
        if not _DECIMAL.fullmatch(value.strip()):
            self.bad(path, f'{value!r} is not a decimal string such as "0.05"')
            return Fraction(0)
        ratio = Fraction(value.strip())
        if ratio > 1:
            self.bad(path, f"{value} is above 1")
        return ratio

    def ratios(self, value: Any, path: str) -> dict[Tier, Fraction]:
        data = self.obj(value, path, {t.value for t in Tier}, {t.value for t in Tier})
        return {t: self.ratio(data[t.value], f"{path}.{t.value}") for t in Tier if t.value in data}

    def scope(self, value: Any, path: str) -> Scope:
        data = self.obj(value, path, {"kinds", "districts", "industries"}, set())
        kinds = self.texts(data.get("kinds", []), f"{path}.kinds")
        known = {k.value for k in EntityKind}
        for kind in kinds:
            if kind not in known:
                self.bad(f"{path}.kinds", f"unknown kind {kind!r} (expected {'/'.join(sorted(known))})")
        return Scope(
            kinds=tuple(EntityKind(k) for k in kinds if k in known),
            districts=self.texts(data.get("districts", []), f"{path}.districts"),
            industries=self.texts(data.get("industries", []), f"{path}.industries"),
        )


def parse_plan(data: dict[str, Any]) -> Plan:
    """A Plan from parsed plan.json; raises ValidationError listing every problem (field = JSON path)."""
    r = _Reader()
    top = r.obj(
        data,
        "plan",
        {"year", "quarter", "targets", "allow_city_level", "joint_visit_weight", "tasks", "joint_tasks"},
        {"year", "quarter", "tasks"},
    )
    defaults = Targets()
    t = r.obj(
        top.get("targets", {}), "targets", {"coverage", "joint_share", "max_visits_per_firm_year"}, set()
    )
    targets = Targets(
        coverage=r.ratio(t["coverage"], "targets.coverage") if "coverage" in t else defaults.coverage,
        joint_share=r.ratio(t["joint_share"], "targets.joint_share")
        if "joint_share" in t
        else defaults.joint_share,
        max_visits_per_firm_year=r.integer(
            t.get("max_visits_per_firm_year", defaults.max_visits_per_firm_year),
            "targets.max_visits_per_firm_year",
            1,
            100,
        ),
    )
    allow_city = top.get("allow_city_level", True)
    if not isinstance(allow_city, bool):
        r.bad("allow_city_level", "must be true or false")
    tasks = [_task(r, v, f"tasks[{i}]") for i, v in enumerate(_list(r, top.get("tasks", []), "tasks"))]
    joints = [
        _joint(r, v, f"joint_tasks[{i}]")
        for i, v in enumerate(_list(r, top.get("joint_tasks", []), "joint_tasks"))
    ]
    ids = [x.id for x in tasks] + [x.id for x in joints]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        r.bad("tasks", f"task id {dup!r} is used twice")
    plan = Plan(
        year=r.integer(top.get("year"), "year", 2000, 2100),
        quarter=r.integer(top.get("quarter"), "quarter", 1, 4),
        targets=targets,
        tasks=tuple(sorted(tasks, key=lambda x: x.id)),
        joint_tasks=tuple(sorted(joints, key=lambda x: x.id)),
        allow_city_level=allow_city is True,
        joint_visit_weight=r.integer(top.get("joint_visit_weight", 1), "joint_visit_weight", 1, 100),
    )
    if r.problems:
        raise ValidationError(f"plan.json: {len(r.problems)} problem(s)", r.problems)
    return plan


def _list(r: _Reader, value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        r.bad(path, "must be a list")
        return []
    return value


def _task(r: _Reader, value: Any, path: str) -> Task:
    d = r.obj(
        value, path, {"id", "department", "items", "scope", "ratios"}, {"id", "department", "items", "ratios"}
    )
    return Task(
        id=r.text(d.get("id"), f"{path}.id"),
        department=r.text(d.get("department"), f"{path}.department"),
        items=r.texts(d.get("items", []), f"{path}.items", non_empty=True),
        scope=r.scope(d.get("scope", {}), f"{path}.scope"),
        ratios=r.ratios(d.get("ratios", {}), f"{path}.ratios"),
    )


def _joint(r: _Reader, value: Any, path: str) -> JointTask:
    d = r.obj(
        value,
        path,
        {"id", "lead", "participants", "scope", "ratios"},
        {"id", "lead", "participants", "ratios"},
    )
    participants: dict[str, Participant] = {}
    for i, p in enumerate(_list(r, d.get("participants", []), f"{path}.participants")):
        ppath = f"{path}.participants[{i}]"
        pd = r.obj(p, ppath, {"department", "items"}, {"department", "items"})
        dept = r.text(pd.get("department"), f"{ppath}.department")
        if dept in participants:
            r.bad(ppath, f"department {dept!r} takes part twice")
        participants[dept] = Participant(dept, r.texts(pd.get("items", []), f"{ppath}.items", non_empty=True))
    lead = r.text(d.get("lead"), f"{path}.lead")
    if len(participants) < 2:
        r.bad(f"{path}.participants", "a joint task needs at least two departments")
    if lead and lead not in participants:
        r.bad(f"{path}.lead", f"lead {lead!r} is not one of the participants")
    return JointTask(
        id=r.text(d.get("id"), f"{path}.id"),
        lead=lead,
        participants=tuple(participants[k] for k in sorted(participants)),
        scope=r.scope(d.get("scope", {}), f"{path}.scope"),
        ratios=r.ratios(d.get("ratios", {}), f"{path}.ratios"),
    )
