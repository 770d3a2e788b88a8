"""Quarter and year-to-date coverage and joint share, counted from the visits (docs/draw-spec.md §6)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from spotcheck.domain.model import EntityKind
from spotcheck.solver.draw.history import YearHistory

__all__ = ["summary"]


def _share(part: int, whole: int) -> str:
    return str(Fraction(part, whole)) if whole else "0"


def summary(visits: list[dict[str, Any]], history: YearHistory, directory: int) -> dict[str, Any]:
    """Counts and exact shares (fraction strings); coverage = unique enterprises visited / directory enterprises."""
    joint = sum(1 for v in visits if v["joint"])
    enterprises = {v["uscc"] for v in visits if v["kind"] == EntityKind.ENTERPRISE.value}
    year_enterprises = enterprises | history.enterprises
    year_visits = history.visits + len(visits)
    year_joint = history.joint_visits + joint
    return {
        "directory_enterprises": directory,
        "quarter": {
            "visits": len(visits),
            "joint_visits": joint,
            "joint_share": _share(joint, len(visits)),
            "enterprises_visited": len(enterprises),
            "coverage": _share(len(enterprises), directory),
        },
        "year_to_date": {
            "visits": year_visits,
            "joint_visits": year_joint,
            "joint_share": _share(year_joint, year_visits),
            "enterprises_visited": len(year_enterprises),
            "coverage": _share(len(year_enterprises), directory),
        },
    }
