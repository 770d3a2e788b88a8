"""The plan editor's form fields, to and from plan.json (docs/formats.md "plan.json"): the targets, each
department task and each joint task with its items, scope and tier ratios, one field each, so a plan is edited
without writing JSON. The fields only carry text; ``ingest.plan.parse_plan`` checks the plan they make, as for
an uploaded file, and the plan check explains what it refuses.

    rows(plan_dict) -> dict       what the form shows (one empty task and joint task to add)
    plan_dict(form) -> dict       the plan.json object the posted fields make

Field names: ``year``, ``quarter``, ``coverage``, ``joint_share``, ``max_visits``, ``allow_city_level``,
``joint_visit_weight``; ``task-N-id|department|districts|industries|ratio-T|remove``, repeated ``task-N-item``
and ``task-N-kind``; ``joint-N-id|lead|…`` likewise with ``joint-N-p-K-department|items`` per participant.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from starlette.datastructures import FormData

from spotcheck.domain.errors import ValidationError

__all__ = ["KINDS", "TIERS", "plan_dict", "rows"]

TIERS = ("A", "B", "C", "D")
KINDS = ("enterprise", "individual", "cooperative")
MAX_TASKS = 200
MAX_PARTICIPANTS = 12
_EMPTY_SCOPE: dict[str, list[str]] = {"kinds": [], "districts": [], "industries": []}


def _split(text: str) -> list[str]:
    return sorted({p.strip() for p in text.replace("；", ";").replace(",", ";").split(";") if p.strip()})


def _empty_task() -> dict[str, Any]:
    return {"id": "", "department": "", "items": [], "scope": dict(_EMPTY_SCOPE), "ratios": {}}


def _empty_joint() -> dict[str, Any]:
    return {"id": "", "lead": "", "participants": [], "scope": dict(_EMPTY_SCOPE), "ratios": {}}


def rows(data: Mapping[str, Any]) -> dict[str, Any]:
    """The plan object as the form shows it: its tasks and joint tasks, each joint task with room for one more
    participant, and one empty task and joint task to add."""
    joint = [
        {**j, "participants": [*j.get("participants", []), {"department": "", "items": []}]}
        for j in [*data.get("joint_tasks", []), _empty_joint()]
    ]
    return {
        "year": data.get("year", ""),
        "quarter": data.get("quarter", ""),
        "targets": data.get("targets", {}),
        "allow_city_level": data.get("allow_city_level", True),
        "joint_visit_weight": data.get("joint_visit_weight", 1),
        "tasks": [*data.get("tasks", []), _empty_task()],
        "joint_tasks": joint,
    }


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _whole(form: FormData, name: str, what: str) -> int:
    text = _text(form, name)
    if not text.isdigit():
        raise ValidationError(f"{what}: 须为整数 / a whole number ({text!r})")
    return int(text)


def _scope_and_ratios(form: FormData, prefix: str) -> dict[str, Any]:
    kinds = sorted({str(k) for k in form.getlist(f"{prefix}-kind") if str(k) in KINDS})
    return {
        "scope": {
            "kinds": kinds,
            "districts": _split(_text(form, f"{prefix}-districts")),
            "industries": _split(_text(form, f"{prefix}-industries")),
        },
        "ratios": {t: _text(form, f"{prefix}-ratio-{t}") or "0" for t in TIERS},
    }


def _kept(form: FormData, kind: str) -> Iterator[str]:
    """The field prefixes (``task-N``, ``joint-N``) of the rows of ``kind`` the form keeps: rows are numbered
    from 0 and end at the first number missing; a row without an id, or marked for removal, is left out."""
    for n in range(MAX_TASKS):
        prefix = f"{kind}-{n}"
        if f"{prefix}-id" not in form:
            return
        if _text(form, f"{prefix}-id") and not form.get(f"{prefix}-remove"):
            yield prefix


def plan_dict(form: FormData) -> dict[str, Any]:
    """The plan.json object of the posted fields; a row without an id, or marked for removal, is left out."""
    tasks = []
    for prefix in _kept(form, "task"):
        items = sorted(
            {str(i) for i in form.getlist(f"{prefix}-item")} | set(_split(_text(form, f"{prefix}-more")))
        )
        tasks.append(
            {
                "id": _text(form, f"{prefix}-id"),
                "department": _text(form, f"{prefix}-department"),
                "items": items,
                **_scope_and_ratios(form, prefix),
            }
        )
    joint = []
    for prefix in _kept(form, "joint"):
        participants = []
        for k in range(MAX_PARTICIPANTS):
            department = _text(form, f"{prefix}-p-{k}-department")
            if f"{prefix}-p-{k}-department" not in form:
                break
            if department:
                items = _split(_text(form, f"{prefix}-p-{k}-items"))
                participants.append({"department": department, "items": items})
        joint.append(
            {
                "id": _text(form, f"{prefix}-id"),
                "lead": _text(form, f"{prefix}-lead"),
                "participants": participants,
                **_scope_and_ratios(form, prefix),
            }
        )
    return {
        "year": _whole(form, "year", "年度 year"),
        "quarter": _whole(form, "quarter", "季度 quarter"),
        "targets": {
            "coverage": _text(form, "coverage") or "0.05",
            "joint_share": _text(form, "joint_share") or "0.10",
            "max_visits_per_firm_year": _whole(form, "max_visits", "每户年度检查上限 max visits per firm"),
        },
        "allow_city_level": bool(form.get("allow_city_level")),
        "joint_visit_weight": _whole(form, "joint_visit_weight", "联合检查权重 joint visit weight"),
        "tasks": tasks,
        "joint_tasks": joint,
    }
