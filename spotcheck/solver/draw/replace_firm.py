"""The replacement of a drawn firm (a redraw: the firm turns out closed), by the target draw's own rules
(docs/ceremony.md "Replacing a firm").

It lives beside the target draw, not beside the officer rule (``solver.assign.replace``), because it is the
target draw's eligibility (docs/draw-spec.md §4, ``eligibility``) and lottery number (draw-spec §2) over the
frame of the quarter (tiers in force on its first day, §1); the inspector draw adds only the team's recusals.

Candidates, in this order: the directory's firms eligible this quarter for every task that drew the visit
(status, scope, visit cap, same item: draw-spec §4 against the year's history), of the drawn firm's tier, of a
kind every item of the visit targets, not visited this quarter (``taken``: the record's firms and every earlier
redraw's replacement), not recused by an officer of the visit's current team. The winner is the smallest
lottery number under the redraw seed, ties (never seen: 64-bit numbers) to the smaller credit code.

Inputs: the frozen city (with its plan), the year's earlier records, the drawn visit as the record writes it
(``uscc``, ``items``, ``draws[].task``), the taken firms, the team, the redraw seed (32 bytes). Output:
``FirmReplacement`` (credit code, lottery number, candidate count) or None when no firm is eligible.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import City
from spotcheck.solver.draw.eligibility import eligibility
from spotcheck.solver.draw.frame import KINDS, Frame, from_city, quarter_start
from spotcheck.solver.draw.history import YearHistory, year_history
from spotcheck.solver.draw.prn import lottery_numbers
from spotcheck.solver.draw.tasks import DrawTask, draw_tasks

__all__ = ["FirmReplacement", "FirmRule"]


@dataclass(frozen=True)
class FirmReplacement:
    uscc: str
    lottery: int
    candidates: int  # how many firms were eligible


class FirmRule:
    """The quarter's frame, tasks and history, prepared once for any number of firm redraws."""

    def __init__(self, city: City, history: Sequence[dict[str, Any]]) -> None:
        plan = city.plan
        if plan is None:
            raise ValidationError("a replacement firm needs the quarter's plan (tasks, visit cap)")
        self.city = city
        self.prefix = f"{plan.year}Q{plan.quarter}-"
        self.max_visits = plan.targets.max_visits_per_firm_year
        self.frame: Frame = from_city(city, quarter_start(plan.year, plan.quarter))
        self.tasks: dict[str, DrawTask] = {t.id: t for t in draw_tasks(plan, city)}
        self.history: YearHistory = year_history(history, plan.year, plan.quarter)
        self.kinds = {i.code: frozenset(i.target_kinds) for i in city.items}

    def visit_id(self, uscc: str) -> str:
        """The id of the visit a replacement firm gets (docs/draw-spec.md §7: one visit per firm and quarter)."""
        return self.prefix + uscc

    def district(self, uscc: str) -> str:
        """A firm's district, as the frame has it."""
        row = self._row(uscc)
        return self.frame.districts[int(self.frame.district[row])]

    def _row(self, uscc: str) -> int:
        row = self.frame.index_of(uscc)
        if row is None:
            raise ValidationError(f"firm {uscc} is not in the directory")
        return row

    def candidates(
        self, drawn: Mapping[str, Any], *, taken: Collection[str], team: Collection[str]
    ) -> tuple[str, ...]:
        """The firms that may replace the firm of ``drawn`` (a visit of the record), ascending."""
        frame = self.frame
        row = self._row(str(drawn["uscc"]))
        try:
            hits = tuple(self.tasks[str(d["task"])] for d in drawn["draws"])
            allowed = frozenset(KINDS).intersection(*(self.kinds[str(i)] for i in drawn["items"]))
        except KeyError as exc:
            raise ValidationError(f"visit {drawn.get('id')} names an unknown task or item {exc}") from exc
        if not hits:
            raise ValidationError(f"visit {drawn.get('id')} names no task that drew it")
        masks = eligibility(frame, hits, self.history, self.max_visits).masks
        mask = np.logical_and.reduce(masks) & (frame.tier == frame.tier[row])
        mask &= np.isin(frame.kind, [KINDS.index(k) for k in allowed])
        recused = {c.uscc for c in self.city.conflicts if c.inspector in team}
        out = (code.decode("ascii") for code in frame.codes[mask].tolist())
        return tuple(c for c in out if c not in taken and c not in recused)

    def replace(
        self, drawn: Mapping[str, Any], *, seed: bytes, taken: Collection[str], team: Collection[str]
    ) -> FirmReplacement | None:
        """The candidate with the smallest lottery number under ``seed``, or None when there is none."""
        found = self.candidates(drawn, taken=taken, team=team)
        if not found:
            return None
        numbers = lottery_numbers(seed, np.array([c.encode("ascii") for c in found], dtype="S18")).tolist()
        lottery, uscc = min(zip(numbers, found, strict=True))
        return FirmReplacement(uscc, int(lottery), len(found))
