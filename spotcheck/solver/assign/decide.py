"""Decisions after the draw stay local (docs/assign-spec.md §6): the quarter is solved once, then each decision
in order changes only the visit or team it names.

A ``defer`` removes the visit's teams (and its staffing problems); a ``drop_department`` removes that
department's team from the visit (and its problem). Nothing is solved again: the officers freed are not handed
to other teams, so no other visit's team moves. A visit whose lead department was dropped has no leader, as in
the draw itself (§7: the leader is the lead department's officer with the smallest number).

Inputs: the initial draw's rows ``(visit, department, …)`` and problems, and the decisions. Outputs: the rows
and problems left, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from spotcheck.solver.assign.types import Decision

__all__ = ["Removed", "removed_by"]

T = TypeVar("T")


class Removed:
    """Which visits and visit-departments the decisions take out of the initial draw."""

    def __init__(self, decisions: Sequence[Decision]) -> None:
        self.visits = {d.visit for d in decisions if d.action == "defer"}
        self.teams = {(d.visit, d.department) for d in decisions if d.action == "drop_department"}

    def __contains__(self, team: tuple[str, str]) -> bool:
        return team[0] in self.visits or team in self.teams

    def keep(self, items: Sequence[T], key: Sequence[tuple[str, str]]) -> list[T]:
        """The items whose (visit, department) ``key`` no decision removes, in order."""
        return [item for item, team in zip(items, key, strict=True) if team not in self]


def removed_by(decisions: Sequence[Decision]) -> Removed:
    """The local effect of the decisions, applied in order (each one removes; none adds, so order is moot)."""
    return Removed(decisions)
