"""The frozen inputs of a draw as one canonical JSON document, and back (issue 6 "Freeze").

The payload holds every directory as the import files' columns (sorted by key), the tier history up to the
freeze date, the plan, the year's earlier published draw records (history) and, for the inspector draw's
rotation only, earlier years' records with officers (``rotation``, docs/assign-spec.md §3). The draw's own digest
(``spotcheck.solver.canonical.snapshot_digest``, draw-spec §1) is what is published and enters the seed; the
payload's SHA-256 is stored beside it so that the stored copy cannot be changed unnoticed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from types import SimpleNamespace
from typing import Any

from spotcheck.domain.model import City
from spotcheck.ingest.plan import parse_plan, plan_to_dict
from spotcheck.solver.audit import canonical_json
from spotcheck.store.convert import KEY_COLUMNS, from_row, to_values

__all__ = [
    "KINDS",
    "city_from_payload",
    "loads",
    "payload_digest",
    "rotation_from_payload",
    "snapshot_payload",
]

SNAPSHOT_PAYLOAD = "spotcheck-frozen-inputs/2"  # /2: adds "rotation" (a /1 payload reads as none)
KINDS = ("departments", "districts", "items", "enterprises", "tiers", "inspectors", "experts", "conflicts")


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def snapshot_payload(
    city: City,
    *,
    frozen_on: date,
    history: list[dict[str, Any]],
    rotation: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Every input of the draw as JSON-ready data; lists sorted by key so equal inputs give equal text."""
    assert city.plan is not None
    tables: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS:
        rows = [_plain(to_values(kind, r)) for r in getattr(city, kind)]
        key = KEY_COLUMNS[kind]
        rows.sort(key=lambda r: tuple(str(r[c]) for c in key))
        tables[kind] = rows
    return {
        "format": SNAPSHOT_PAYLOAD,
        "frozen_on": frozen_on.isoformat(),
        "plan": plan_to_dict(city.plan),
        "tables": tables,
        "history": history,
        "rotation": list(rotation or []),
    }


def payload_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def city_from_payload(payload: dict[str, Any]) -> tuple[City, list[dict[str, Any]]]:
    """The frozen ``City`` (with its plan) and the history records."""
    parsed: dict[str, tuple[Any, ...]] = {}
    for kind in KINDS:
        records = []
        for values in payload["tables"][kind]:
            row = dict(values)
            for name in ("registered_on", "effective"):
                if isinstance(row.get(name), str):
                    row[name] = date.fromisoformat(row[name])
            records.append(from_row(kind, SimpleNamespace(**row)))
        parsed[kind] = tuple(records)
    city = City(**parsed, plan=parse_plan(payload["plan"]))  # type: ignore[arg-type]  # keys: City's directory fields
    return city, list(payload["history"])


def rotation_from_payload(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Earlier years' records with officers fixed for rotation (none in a payload of format /1)."""
    return list(payload.get("rotation", []))


def loads(text: str) -> dict[str, Any]:
    data = json.loads(text)
    assert isinstance(data, dict)
    return data
