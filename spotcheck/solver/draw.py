"""Interval sampling on lottery numbers and the merge into visits (docs/draw-spec.md §3, §7).

Task i draws an eligible firm of tier t iff (u − offset[i][t]) mod 2^64 < threshold[i][t]. Every firm drawn by
at least one task gets exactly one visit this quarter carrying the union of the drawing tasks' departments and
items (进一次门、查多项事).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from spotcheck.solver.expectation import Layout
from spotcheck.solver.frame import KINDS, TIERS, Frame
from spotcheck.solver.tasks import DrawTask

__all__ = ["select", "visits"]


def select(
    frame: Frame, lottery: np.ndarray, layout: Layout, masks: tuple[np.ndarray, ...]
) -> list[np.ndarray]:
    """Rows drawn by each task (ascending), from the firms' lottery numbers and the frozen layout."""
    drawn: list[np.ndarray] = []
    for i, mask in enumerate(masks):
        rows = np.flatnonzero(mask)
        tier = frame.tier[rows]
        offsets = np.array(layout.offsets[i], dtype=np.uint64)[tier]
        # threshold − 1 fits in 64 bits even for ratio 1 (threshold 2^64); threshold 0 draws nobody.
        limits = np.array([max(t - 1, 0) for t in layout.thresholds[i]], dtype=np.uint64)[tier]
        active = np.array([t > 0 for t in layout.thresholds[i]])[tier]
        hit = active & ((lottery[rows] - offsets) <= limits)
        drawn.append(rows[hit])
    return drawn


def visits(
    frame: Frame,
    lottery: np.ndarray,
    tasks: tuple[DrawTask, ...],
    layout: Layout,
    drawn: list[np.ndarray],
    year: int,
    quarter: int,
) -> list[dict[str, Any]]:
    """One visit per drawn firm, sorted by id, each with the draws a firm can check against its number."""
    by_row: dict[int, list[int]] = {}
    for i, rows in enumerate(drawn):
        for row in rows.tolist():
            by_row.setdefault(row, []).append(i)
    result: list[dict[str, Any]] = []
    for row in sorted(by_row):
        members = by_row[row]  # ascending task index = ascending task id
        uscc = frame.codes[row].decode("ascii")
        tier = int(frame.tier[row])
        u = int(lottery[row])
        departments = sorted({d for i in members for d in tasks[i].departments})
        planned = [i for i in members if tasks[i].planned_joint]
        lead = tasks[planned[0]].lead if planned else tasks[members[0]].lead
        result.append(
            {
                "id": f"{year}Q{quarter}-{uscc}",
                "uscc": uscc,
                "kind": KINDS[int(frame.kind[row])].value,
                "district": frame.districts[int(frame.district[row])],
                "tier": TIERS[tier].value,
                "lead": lead,
                "departments": departments,
                "items": sorted({item for i in members for item in tasks[i].items}),
                "joint": len(departments) >= 2,
                "draws": [
                    {
                        "task": tasks[i].id,
                        "tier": TIERS[tier].value,
                        "lottery": str(u),
                        "offset": str(layout.offsets[i][tier]),
                        "position": str((u - layout.offsets[i][tier]) % (1 << 64)),
                        "threshold": str(layout.thresholds[i][tier]),
                    }
                    for i in members
                ],
            }
        )
    return result
