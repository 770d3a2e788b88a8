"""Interval sampling on lottery numbers and the merge into visits (docs/draw-spec.md §3, §7).

Task i draws an eligible firm of tier t iff (u − offset[i][t]) mod 2^64 < threshold[i][t]. Every firm drawn by
at least one task gets exactly one visit this quarter carrying the union of the drawing tasks' departments and
items (进一次门、查多项事).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from spotcheck.solver.draw.expectation import Layout
from spotcheck.solver.draw.frame import KINDS, TIERS, Frame
from spotcheck.solver.draw.prn import MODULUS
from spotcheck.solver.draw.tasks import DrawTask

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
    firm_rows = sorted(by_row)
    index = np.array(firm_rows, dtype=np.int64)
    codes = [c.decode("ascii") for c in frame.codes[index].tolist()]
    kinds = [KINDS[k].value for k in range(len(KINDS))]
    tier_names = [t.value for t in TIERS]
    offsets = [[str(o) for o in row] for row in layout.offsets]
    thresholds = [[str(t) for t in row] for row in layout.thresholds]
    columns = zip(
        firm_rows,
        codes,
        frame.kind[index].tolist(),
        frame.district[index].tolist(),
        frame.tier[index].tolist(),
        lottery[index].tolist(),
        strict=True,
    )
    prefix = f"{year}Q{quarter}-"
    result: list[dict[str, Any]] = []
    for row, uscc, kind, district, tier, u in columns:
        members = by_row[row]  # ascending task index = ascending task id
        departments = sorted({d for i in members for d in tasks[i].departments})
        planned = [i for i in members if tasks[i].planned_joint]
        lead = tasks[planned[0]].lead if planned else tasks[members[0]].lead
        name, lottery_text = tier_names[tier], str(u)
        result.append(
            {
                "id": prefix + uscc,
                "uscc": uscc,
                "kind": kinds[kind],
                "district": frame.districts[district],
                "tier": name,
                "lead": lead,
                "departments": departments,
                "items": sorted({item for i in members for item in tasks[i].items}),
                "joint": len(departments) >= 2,
                "draws": [
                    {
                        "task": tasks[i].id,
                        "tier": name,
                        "lottery": lottery_text,
                        "offset": offsets[i][tier],
                        "position": str((u - layout.offsets[i][tier]) % MODULUS),
                        "threshold": thresholds[i][tier],
                    }
                    for i in members
                ],
            }
        )
    return result
