"""What a frozen quarter was expected to give, to show beside what it gave (docs/draw-spec.md §5, §6): the
expected visits, joint visits and new enterprises of the quarter, in total and per credit tier, computed exactly
from the frozen inputs and the committed layout (``solver.draw.expectation``), as the plan check projects them.

    expectation(uow, plan_id) -> Expectation | None     None before the freeze

The frozen inputs of a plan never change, so the answer is kept per snapshot digest (the preparation reads the
whole directory: seconds at a city's scale).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select

from spotcheck.services.freeze import prepare_frozen
from spotcheck.solver.draw.expectation import expected
from spotcheck.solver.draw.frame import TIERS
from spotcheck.store.quarter import SnapshotRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["Expectation", "expectation"]

KEPT = 64  # snapshots remembered


@dataclass(frozen=True)
class Expectation:
    visits: Fraction
    joint_visits: Fraction
    new_enterprises: Fraction
    by_tier: tuple[tuple[str, Fraction, Fraction], ...]  # (tier, expected visits, expected joint visits)


_kept: dict[str, Expectation] = {}
_lock = threading.Lock()


def expectation(uow: UnitOfWork, plan_id: int) -> Expectation | None:
    """The quarter's expected figures under its frozen layout; None when the plan is not frozen."""
    with uow:
        digest = uow.session.execute(
            select(SnapshotRow.digest).where(SnapshotRow.plan_id == plan_id)
        ).scalar()
        if digest is None:
            return None
        with _lock:
            if digest in _kept:
                return _kept[digest]
        prepared = prepare_frozen(uow, plan_id)
    tasks, layout, cells = prepared.tasks, prepared.layout, prepared.eligibility.cells
    whole = expected(tasks, layout, cells)
    tiers = []
    for k, tier in enumerate(TIERS):
        part = expected(tasks, layout, tuple(c for c in cells if c.tier == k))
        tiers.append((tier.value, part.visits, part.joint_visits))
    found = Expectation(whole.visits, whole.joint_visits, whole.new_enterprises, tuple(tiers))
    with _lock:
        if len(_kept) >= KEPT:
            _kept.pop(next(iter(_kept)))
        _kept[digest] = found
    return found
