"""Who may inspect what (docs/assign-spec.md §3): each visit-department's team size, fields and eligible officers.

Every hard rule but capacity is a filter on a department's officers for a visit: active and not an expert, in
jurisdiction, certified for the fields of the department's items in the visit, not recused from the firm, not
on the firm's previous team (rotation). Pools are computed once per (department, district, fields) and then
thinned per firm, so a city quarter costs a few dictionary look-ups per visit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import CITY_LEVEL, CheckItem, City, Inspector, Visit
from spotcheck.solver.assign.types import StaffingProblem

__all__ = ["Pools", "Slot"]

MIN_TEAM = 2  # at least two officers per department per visit
_NONE: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Slot:
    """One department of one visit: how many officers it needs and who may go (officer indices, ascending)."""

    visit: Visit
    department: str
    team: int
    fields: tuple[str, ...]
    candidates: np.ndarray


class Pools:
    """The officers of a city indexed for eligibility; ``officers`` is sorted by id (indices refer to it)."""

    def __init__(self, city: City, last_team: Mapping[str, Sequence[str]]) -> None:
        self.officers: tuple[Inspector, ...] = tuple(sorted(city.inspectors, key=lambda o: o.id))
        self.allow_city_level = city.plan.allow_city_level if city.plan is not None else False
        self._items: dict[str, CheckItem] = {item.code: item for item in city.items}
        index = {o.id: i for i, o in enumerate(self.officers)}
        experts = {e.id for e in city.experts}
        self._by_dept: dict[str, list[int]] = {}
        for i, o in enumerate(self.officers):
            if o.active and o.id not in experts:
                self._by_dept.setdefault(o.department, []).append(i)
        self._recused: dict[str, set[int]] = {}
        for c in city.conflicts:
            if c.inspector in index:
                self._recused.setdefault(c.uscc, set()).add(index[c.inspector])
        self._rotated: dict[str, set[int]] = {
            uscc: {index[o] for o in team if o in index} for uscc, team in last_team.items()
        }
        self._cache: dict[tuple[str, str, tuple[str, ...]], np.ndarray] = {}
        self._needs: dict[tuple[str, tuple[str, ...]], tuple[int, tuple[str, ...]]] = {}

    def slot(self, visit: Visit, department: str) -> Slot:
        """The visit-department's need and eligible officers (every rule but capacity applied)."""
        team, fields = self._need(visit, department)
        pool = self._pool(department, visit.district, fields)
        excluded = self._recused.get(visit.uscc, _NONE) | self._rotated.get(visit.uscc, _NONE)
        if excluded:
            pool = pool[np.array([i not in excluded for i in pool.tolist()], dtype=bool)]
        return Slot(visit, department, team, fields, pool)

    def _need(self, visit: Visit, department: str) -> tuple[int, tuple[str, ...]]:
        """Team size and fields of the department's items in the visit (cached by the items checked)."""
        key = (department, visit.items)
        if key not in self._needs:
            items = []
            for code in visit.items:
                item = self._items.get(code)
                if item is None:
                    raise ValidationError(
                        f"visit {visit.id} checks item {code}, which is not in the check-item list"
                    )
                if item.department == department:
                    items.append(item)
            team = max([MIN_TEAM, *(item.team_size for item in items)])
            self._needs[key] = (team, tuple(sorted({item.field for item in items})))
        return self._needs[key]

    def _pool(self, department: str, district: str, fields: tuple[str, ...]) -> np.ndarray:
        key = (department, district, fields)
        if key not in self._cache:
            self._cache[key] = np.array(
                [
                    i
                    for i in self._in_jurisdiction(department, district)
                    if set(fields) <= set(self.officers[i].fields)
                ],
                dtype=np.int64,
            )
        return self._cache[key]

    def _in_jurisdiction(self, department: str, district: str) -> list[int]:
        return [
            i
            for i in self._by_dept.get(department, [])
            if self.officers[i].district == district
            or (self.allow_city_level and self.officers[i].district == CITY_LEVEL)
        ]

    def diagnose(self, slot: Slot) -> StaffingProblem:
        """Name the first rule that leaves the slot short, and what would fix it (assign-spec §5)."""
        visit, dept, team = slot.visit, slot.department, slot.team
        where = f"{dept} in district {visit.district}"
        defer = "; or defer the visit to the next quarter"
        active = self._by_dept.get(dept, [])
        local = self._in_jurisdiction(dept, visit.district)
        certified = [i for i in local if set(slot.fields) <= set(self.officers[i].fields)]
        unrecused = [i for i in certified if i not in self._recused.get(visit.uscc, set())]
        eligible = len(slot.candidates)
        if len(active) < team:
            rule = "department"
            fix = f"{dept} has {len(active)} active officers: add officers, or drop {dept} from the visit"
        elif len(local) < team:
            rule = "jurisdiction"
            more = "add an officer in the district" + (
                " or at city level" if self.allow_city_level else ", or allow city-level officers in the plan"
            )
            fix = f"{len(local)} officers of {where}: {more}"
        elif len(certified) < team:
            rule = "certification"
            fix = f"{len(certified)} officers of {where} certified for {', '.join(slot.fields)}: certify " + (
                f"{team - len(certified)} more, or add a certified city-level officer"
            )
        elif len(unrecused) < team:
            rule = "recusal"
            fix = (
                f"{len(certified) - len(unrecused)} of the {len(certified)} officers of {where} are recused "
            )
            fix += "from this firm: add an officer from outside the conflict (e.g. city level)"
        elif eligible < team:
            rule = "rotation"
            fix = f"{len(unrecused) - eligible} of the {len(unrecused)} officers of {where} inspected this firm "
            fix += "last time: add a certified officer, or a city-level one"
        else:
            rule = "capacity"
            fix = (
                f"the quarterly capacity of the {eligible} eligible officers of {where} is spent: raise it, "
            )
            fix += "or add a city-level officer"
        return StaffingProblem(visit.id, dept, rule, team, eligible, fix + defer)
