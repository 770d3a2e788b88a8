"""Exact expected visits, joint visits and new enterprises of a layout (docs/draw-spec.md §5).

A layout gives every task and tier an interval [offset, offset + threshold) on the circle of lottery numbers.
Lottery numbers are uniform, so a cell of firms with the same eligible tasks contributes its size times the
measure of the union of its tasks' intervals (visits), and times the measure covered by two or more departments
(joint visits). Firms are drawn independently (Poisson sampling), so the new enterprises drawn have variance
``Σ size · p · (1 − p)`` with ``p`` the cell's measure. All arithmetic is on integers; results are Fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from spotcheck.solver.draw.eligibility import Cell
from spotcheck.solver.draw.prn import MODULUS
from spotcheck.solver.draw.tasks import DrawTask

__all__ = ["Expected", "Layout", "expected"]


@dataclass(frozen=True)
class Layout:
    offsets: tuple[tuple[int, ...], ...]  # per task, per tier: integer in [0, 2^64)
    thresholds: tuple[tuple[int, ...], ...]  # per task, per tier: ⌊ratio · 2^64⌋


@dataclass(frozen=True)
class Expected:
    visits: Fraction
    joint_visits: Fraction
    new_enterprises: Fraction
    new_variance: Fraction  # variance of the new enterprises drawn: Σ size · p · (1 − p), p = union / M


def _covers(point: int, offset: int, length: int) -> bool:
    return (point - offset) % MODULUS < length


def _measures(tasks: tuple[DrawTask, ...], layout: Layout, tier: int, bits: int) -> tuple[int, int]:
    """(measure of the union, measure where ≥2 departments draw) of the cell's intervals in one tier."""
    members = [i for i in range(len(tasks)) if bits >> i & 1 and layout.thresholds[i][tier] > 0]
    if not members:
        return 0, 0
    points = {0}
    for i in members:
        points.add(layout.offsets[i][tier] % MODULUS)
        points.add((layout.offsets[i][tier] + layout.thresholds[i][tier]) % MODULUS)
    cuts = sorted(points) + [MODULUS]
    union = joint = 0
    for start, end in pairwise(cuts):
        departments: set[str] = set()
        for i in members:
            if _covers(start, layout.offsets[i][tier], layout.thresholds[i][tier]):
                departments.update(tasks[i].departments)
        if departments:
            union += end - start
            if len(departments) >= 2:
                joint += end - start
    return union, joint


def expected(tasks: tuple[DrawTask, ...], layout: Layout, cells: tuple[Cell, ...]) -> Expected:
    """Expected counts for one quarter under the layout, exactly."""
    cache: dict[tuple[int, int], tuple[int, int]] = {}
    visits = joint = new = spread = 0
    for cell in cells:
        key = (cell.tier, cell.tasks)
        if key not in cache:
            cache[key] = _measures(tasks, layout, cell.tier, cell.tasks)
        union, both = cache[key]
        visits += cell.count * union
        joint += cell.count * both
        if cell.new:
            new += cell.count * union
            spread += cell.count * union * (MODULUS - union)  # each firm drawn independently (Poisson)
    return Expected(
        Fraction(visits, MODULUS),
        Fraction(joint, MODULUS),
        Fraction(new, MODULUS),
        Fraction(spread, MODULUS * MODULUS),
    )
