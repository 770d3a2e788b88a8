"""Canonical forms of the draw's inputs (docs/draw-spec.md §1): the plan as a dict, the snapshot digest.

The snapshot digest is SHA-256 over a JSON header (the small tables, the plan as given and the digests of the
year's earlier records, sorted) followed by the frame's columns as fixed-width bytes in credit-code order, so it
is independent of file row order and fast for millions of firms. It fixes everything the draw reads before the
seed; the coordination is not in it, being computed from these inputs (draw-spec §5).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

from spotcheck.domain.model import City, Plan
from spotcheck.domain.plan_form import plan_form
from spotcheck.solver.draw.frame import KINDS, STATUSES, TIERS, Frame

__all__ = ["SNAPSHOT_FORMAT", "plan_dict", "snapshot_digest", "snapshot_header"]

SNAPSHOT_FORMAT = "spotcheck-snapshot/2"


def plan_dict(plan: Plan) -> dict[str, Any]:
    """The plan as canonical JSON-ready data: lists sorted, ratios as fraction strings."""
    return plan_form(plan, ratio=str)


def snapshot_header(
    frame: Frame, city: City | None, as_of: date, *, plan: Plan | None, history: Sequence[str] = ()
) -> dict[str, Any]:
    """The small tables a draw reads, sorted; vocabularies give meaning to the column indexes. ``plan`` is
    written as the record writes it (without the coordination), ``history`` are the digests of the year's
    earlier records the draw reads (record_digest), sorted."""
    header: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "as_of": as_of.isoformat(),
        "firms": len(frame),
        "kinds": [k.value for k in KINDS],
        "statuses": [s.value for s in STATUSES],
        "tiers": [t.value for t in TIERS],
        "districts": list(frame.districts),
        "industries": list(frame.industries),
        "departments": [],
        "items": [],
        "inspectors": [],
        "plan": None if plan is None else plan_dict(plan),
        "history": sorted(history),
    }
    if city is not None:
        header["departments"] = sorted(d.code for d in city.departments)
        header["items"] = [
            {
                "code": i.code,
                "department": i.department,
                "target_kinds": sorted(k.value for k in i.target_kinds),
                "team_size": i.team_size,
            }
            for i in sorted(city.items, key=lambda i: i.code)
        ]
        header["inspectors"] = [
            {
                "id": o.id,
                "department": o.department,
                "district": o.district,
                "capacity": o.capacity,
                "active": o.active,
            }
            for o in sorted(city.inspectors, key=lambda o: o.id)
        ]
    return header


def snapshot_digest(
    frame: Frame, city: City | None, as_of: date, *, plan: Plan | None, history: Sequence[str] = ()
) -> str:
    """SHA-256 hex of header JSON (with the plan and the history records' digests), a newline, then codes (18
    bytes each), kind, district (u16 little-endian), industry, status and tier columns (one byte each), all in
    credit-code order (draw-spec §1)."""
    h = hashlib.sha256()
    header = json.dumps(
        snapshot_header(frame, city, as_of, plan=plan, history=history),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    h.update(header.encode("utf-8") + b"\n")
    h.update(np.ascontiguousarray(frame.codes).tobytes())
    h.update(frame.kind.astype(np.uint8).tobytes())
    h.update(frame.district.astype("<u2").tobytes())
    for column in (frame.industry, frame.status, frame.tier):
        h.update(column.astype(np.uint8).tobytes())
    return h.hexdigest()
