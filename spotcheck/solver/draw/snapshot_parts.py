"""The snapshot digest, part by part (docs/draw-spec.md §1): what both draws read, fixed before the seed.

Each part is hashed on its own (SHA-256 hex of its bytes), and the snapshot digest is SHA-256 of a small
canonical JSON document naming the parts' digests. So a check against edited inputs names the part that changed,
and each part can be streamed and stored column by column. JSON parts are canonical JSON (draw-spec §7.1,
ending in a newline); the directory's firm columns and the conflicts are fixed-width or line-per-value columns.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np

from spotcheck.domain.model import City, Plan
from spotcheck.solver.draw.frame import KINDS, STATUSES, TIERS, Frame
from spotcheck.solver.draw.record import record_digest
from spotcheck.solver.draw.snapshot import plan_dict

__all__ = [
    "PARTS",
    "SNAPSHOT_FORMAT",
    "changed_parts",
    "input_parts",
    "part_digests",
    "rotation_cited",
    "snapshot_digest",
]

SNAPSHOT_FORMAT = "spotcheck-snapshot/3"
# In the order verify names them.
PARTS = (
    "directory",
    "items",
    "officers",
    "experts",
    "conflicts",
    "plan",
    "history",
    "rotation",
    "options",
    "coordination",
)


def _json(value: Any) -> bytes:
    return (json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _sha(*chunks: bytes | Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        if isinstance(chunk, bytes):
            h.update(chunk)
        else:
            for piece in chunk:
                h.update(piece)
    return h.hexdigest()


def _directory(frame: Frame, city: City, as_of: date) -> str:
    """Header JSON (vocabularies, departments), then the firm columns in credit-code order (draw-spec §1)."""
    header = {
        "as_of": as_of.isoformat(),
        "firms": len(frame),
        "kinds": [k.value for k in KINDS],
        "statuses": [s.value for s in STATUSES],
        "tiers": [t.value for t in TIERS],
        "districts": list(frame.districts),
        "industries": list(frame.industries),
        "departments": sorted(d.code for d in city.departments),
    }
    columns = (
        np.ascontiguousarray(frame.codes).tobytes(),
        frame.kind.astype(np.uint8).tobytes(),
        frame.district.astype("<u2").tobytes(),
        frame.industry.astype(np.uint8).tobytes(),
        frame.status.astype(np.uint8).tobytes(),
        frame.tier.astype(np.uint8).tobytes(),
    )
    return _sha(_json(header), *columns)


def _lines(values: Iterable[str]) -> Iterable[bytes]:
    """One value per line: its JSON string (so no value can contain a bare newline), then LF."""
    for value in values:
        yield (json.dumps(value, ensure_ascii=False) + "\n").encode()


def _conflicts(city: City) -> str:
    """Sorted by (credit code, officer id): the codes column, then the officer ids column."""
    pairs = sorted({(c.uscc, c.inspector) for c in city.conflicts})
    return _sha(_lines(u for u, _ in pairs), _lines(i for _, i in pairs))


def part_digests(
    frame: Frame,
    city: City,
    as_of: date,
    *,
    plan: Plan,
    history: Sequence[str],
    rotation: Sequence[str],
    options: dict[str, Any],
    coordination: dict[str, Any],
) -> dict[str, str]:
    """SHA-256 hex of every part. ``history`` and ``rotation`` are record digests (the year's earlier records,
    the earlier years' records read for rotation); ``options`` as ``options_to_dict``; ``coordination`` is
    ``{"aligned", "offsets"}`` as the record's ``plan.coordination`` writes them."""
    small = input_parts(city, plan=plan, history=history, rotation=rotation, options=options)
    return {
        "directory": _directory(frame, city, as_of),
        **small,
        "coordination": _sha(_json(coordination)),
    }


def input_parts(
    city: City, *, plan: Plan, history: Sequence[str], rotation: Sequence[str], options: dict[str, Any]
) -> dict[str, str]:
    """The parts that need no frame: what the inspector draw reads besides the visits (all but the directory
    and the coordination)."""
    items = [
        {
            "code": i.code,
            "department": i.department,
            "field": i.field,
            "target_kinds": sorted(k.value for k in i.target_kinds),
            "team_size": i.team_size,
        }
        for i in sorted(city.items, key=lambda i: i.code)
    ]
    officers = [
        {
            "id": o.id,
            "department": o.department,
            "district": o.district,
            "certificate": o.certificate,
            "fields": sorted(o.fields),
            "capacity": o.capacity,
            "active": o.active,
        }
        for o in sorted(city.inspectors, key=lambda o: o.id)
    ]
    experts = [
        {"id": e.id, "department": e.department, "fields": sorted(e.fields)}
        for e in sorted(city.experts, key=lambda e: e.id)
    ]
    return {
        "items": _sha(_json(items)),
        "officers": _sha(_json(officers)),
        "experts": _sha(_json(experts)),
        "conflicts": _conflicts(city),
        "plan": _sha(_json(plan_dict(plan))),
        "history": _sha(_json(sorted(history))),
        "rotation": _sha(_json(sorted(rotation))),
        "options": _sha(_json(options)),
    }


def snapshot_digest(parts: dict[str, str]) -> str:
    """SHA-256 hex of canonical JSON ``{"format": "spotcheck-snapshot/3", "parts": {name: digest}}`` + LF."""
    return _sha(_json({"format": SNAPSHOT_FORMAT, "parts": {name: parts[name] for name in PARTS}}))


def changed_parts(recorded: Any, recomputed: dict[str, str]) -> list[str]:
    """The parts of ``recomputed`` whose digest differs from ``recorded``'s, in ``PARTS`` order."""
    if not isinstance(recorded, dict):
        return [name for name in PARTS if name in recomputed]
    return [name for name in PARTS if name in recomputed and recorded.get(name) != recomputed[name]]


def rotation_cited(records: Sequence[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    """The rotation records as the record's ``snapshot.rotation`` cites them, by (year, quarter, digest)."""
    cited = [
        {"year": r.get("year"), "quarter": r.get("quarter"), "digest": record_digest(r)} for r in records
    ]
    return tuple(sorted(cited, key=lambda c: (str(c["year"]), str(c["quarter"]), c["digest"])))
