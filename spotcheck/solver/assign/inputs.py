"""What the inspector draw reads besides the city (docs/assign-spec.md §5–§6): earlier teams and decisions.

Rotation: a firm's previous team is the officers of its latest visit (by year, quarter) in the history
records that carry officers. Decisions: a small JSON file a planner writes after reading the problems,
``{"format": "spotcheck-decisions/1", "decisions": [{"visit", "action", "department", "reason", "by"}]}``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from spotcheck.domain.errors import Problem, ValidationError
from spotcheck.solver.assign.types import ACTIONS, AssignConfig, Decision

__all__ = [
    "DECISIONS_FORMAT",
    "config_from_dict",
    "config_to_dict",
    "decision_to_dict",
    "decisions_from_dict",
    "last_teams",
    "load_decisions",
]

DECISIONS_FORMAT = "spotcheck-decisions/1"


def last_teams(history: Sequence[dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Each firm's most recent team (sorted officer ids) in the history records that carry officers."""
    ordered = sorted(
        (r for r in history if isinstance(r, dict)), key=lambda r: (r.get("year", 0), r.get("quarter", 0))
    )
    teams: dict[str, tuple[str, ...]] = {}
    for record in ordered:
        for visit in record.get("visits", []):
            officers = visit.get("officers") if isinstance(visit, dict) else None
            if officers:
                teams[visit["uscc"]] = tuple(sorted({o["officer"] for o in officers}))
    return teams


def decisions_from_dict(data: Any, where: str = "decisions") -> tuple[Decision, ...]:
    """Parse and check a decisions document (or a record's list of decisions); sorted by visit, department."""
    if isinstance(data, dict):
        if data.get("format") != DECISIONS_FORMAT:
            raise ValidationError(f"{where}: not a decisions file of format {DECISIONS_FORMAT}")
        data = data.get("decisions")
    if not isinstance(data, list):
        raise ValidationError(f"{where}: 'decisions' must be a list")
    found: list[Decision] = []
    problems: list[Problem] = []
    for n, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("visit"), str):
            problems.append(Problem(None, f"decisions[{n}]", "needs a 'visit' id"))
            continue
        action, department = entry.get("action"), entry.get("department", "")
        if action not in ACTIONS:
            problems.append(
                Problem(None, f"decisions[{n}].action", f"{action!r} is not one of {', '.join(ACTIONS)}")
            )
        elif action == "drop_department" and not department:
            problems.append(Problem(None, f"decisions[{n}].department", "drop_department names a department"))
        else:
            found.append(
                Decision(
                    entry["visit"],
                    action,
                    str(department),
                    str(entry.get("reason", "")),
                    str(entry.get("by", "")),
                    str(entry.get("at", "")),
                )
            )
    if problems:
        raise ValidationError(f"{where}: bad decisions", problems)
    return tuple(sorted(set(found), key=lambda d: (d.visit, d.department, d.action, d.reason, d.by, d.at)))


def load_decisions(path: Path | str) -> tuple[Decision, ...]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"{path}: not a readable decisions file ({exc})") from exc
    return decisions_from_dict(data, str(path))


def decision_to_dict(d: Decision) -> dict[str, str]:
    """The record's form (assign-spec §6); ``at`` only when known, so records made before it keep their bytes."""
    out = {"visit": d.visit, "action": d.action, "department": d.department, "reason": d.reason, "by": d.by}
    if d.at:
        out["at"] = d.at
    return out


def config_to_dict(config: AssignConfig) -> dict[str, str | int | None]:
    return {"max_pair_visits": config.max_pair_visits, "probability_cap": str(config.probability_cap)}


def config_from_dict(data: Any) -> AssignConfig:
    if not isinstance(data, dict):
        raise ValidationError("the record's assignment config is missing")
    try:
        cap = Fraction(str(data["probability_cap"]))
    except (KeyError, ValueError, ZeroDivisionError) as exc:
        raise ValidationError(f"the record's assignment config is malformed ({exc!r})") from exc
    if not 0 < cap <= 1:
        raise ValidationError(f"probability cap {cap} is outside (0, 1]")
    pair = data.get("max_pair_visits")
    if pair is not None and (not isinstance(pair, int) or isinstance(pair, bool) or pair < 1):
        raise ValidationError(f"max_pair_visits must be a whole number ≥ 1 or null, not {pair!r}")
    return AssignConfig(probability_cap=cap, max_pair_visits=pair)
