"""The frozen inputs of a draw as one canonical JSON document, and back (docs/operations.md,
"The stored snapshot").

The payload holds every directory as the import files' columns (sorted by key), the tier history up to the
freeze date, the plan, the year's earlier published draw records (history) and, for the inspector draw's
rotation only, earlier years' records with officers (``rotation``, docs/assign-spec.md §3). The draw's own
digest (``spotcheck.solver.draw.snapshot_parts.snapshot_digest``, draw-spec §1) is what is published and enters
the seed; the payload's SHA-256 is stored beside it so that the stored copy cannot be changed unnoticed.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from spotcheck.domain.errors import NotFound, VerificationError
from spotcheck.domain.model import City
from spotcheck.evidence.canonical import canonical_json
from spotcheck.ingest.plan import parse_plan, plan_to_dict
from spotcheck.solver.assign.options import FrozenOptions, options_from_dict
from spotcheck.store.convert import KEY_COLUMNS, from_row, to_values
from spotcheck.store.quarter import SnapshotRow
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "KINDS",
    "city_from_payload",
    "committed_from_payload",
    "loads",
    "options_from_payload",
    "pack_payload",
    "payload_digest",
    "read_snapshot",
    "rotation_from_payload",
    "snapshot_payload",
    "store_snapshot",
    "unpack_payload",
]

# /2: adds "rotation" (a /1 payload reads as none); /3: adds the inspector draw's "options" and the committed
# "coordination" (a /2 payload reads as the default options and no committed layout).
SNAPSHOT_PAYLOAD = "spotcheck-frozen-inputs/3"
KINDS = ("departments", "districts", "items", "enterprises", "tiers", "inspectors", "experts", "conflicts")


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def snapshot_payload(
    city: City,
    *,
    frozen_on: date,
    history: list[dict[str, Any]],
    rotation: list[dict[str, Any]] | None = None,
    options: dict[str, Any] | None = None,
    coordination: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Every input of the draw as JSON-ready data; lists sorted by key so equal inputs give equal text.
    ``options``: the inspector draw's (``options_to_dict``); ``coordination``: the committed layout
    (``{"aligned", "offsets"}``, draw-spec §5)."""
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
        "options": options,
        "coordination": coordination,
    }


GZIP_LEVEL = 6
# ID1 ID2, CM = 8 (deflate), FLG = 0, MTIME = 0, XFL = 0, OS = 255 (unknown): the same on every platform.
GZIP_HEADER = struct.pack("<BBBBLBB", 0x1F, 0x8B, 8, 0, 0, 0, 255)
_ROWS = 4096  # list items encoded per piece


def canonical_pieces(value: Any, depth: int = 3) -> Iterator[str]:
    """``canonical_json(value)`` in pieces whose concatenation is exactly that text: objects and long lists
    down to ``depth`` levels are split (keys sorted, lists in batches of rows); below, each piece is
    ``canonical_json`` of a part (so floats are refused as there)."""
    if depth > 0 and isinstance(value, dict) and all(isinstance(k, str) for k in value):
        yield "{"
        for i, key in enumerate(sorted(value)):
            yield ("," if i else "") + json.dumps(key, ensure_ascii=False) + ":"
            yield from canonical_pieces(value[key], depth - 1)
        yield "}"
    elif depth > 0 and isinstance(value, list) and len(value) > _ROWS:
        yield "["
        for start in range(0, len(value), _ROWS):
            yield ("," if start else "") + canonical_json(value[start : start + _ROWS])[1:-1]
        yield "]"
    else:
        yield canonical_json(value)


def payload_digest(payload: dict[str, Any]) -> str:
    """SHA-256 hex of the payload's canonical JSON text (UTF-8), uncompressed."""
    sha = hashlib.sha256()
    for piece in canonical_pieces(payload):
        sha.update(piece.encode("utf-8"))
    return sha.hexdigest()


def pack_payload(payload: dict[str, Any]) -> tuple[bytes, str]:
    """The stored bytes (gzip of the canonical JSON, fixed settings) and the payload's SHA-256 (uncompressed)."""
    sha = hashlib.sha256()
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)
    out = [GZIP_HEADER]
    crc = size = 0
    for piece in canonical_pieces(payload):
        data = piece.encode("utf-8")
        sha.update(data)
        crc = zlib.crc32(data, crc)
        size += len(data)
        out.append(deflate.compress(data))
    out.append(deflate.flush())
    out.append(struct.pack("<LL", crc, size & 0xFFFFFFFF))
    return b"".join(out), sha.hexdigest()


def unpack_payload(data: bytes) -> bytes:
    """The canonical JSON text (UTF-8 bytes) of stored gzip bytes; CRC and length checked, nothing may follow."""
    inflate = zlib.decompressobj(wbits=31)
    try:
        text = inflate.decompress(data)
    except zlib.error as exc:
        raise VerificationError(f"the stored snapshot is not valid gzip: {exc}") from exc
    if not inflate.eof or inflate.unused_data:
        raise VerificationError("the stored snapshot is truncated or has data after its end")
    return text


def store_snapshot(uow: UnitOfWork, plan_id: int, digest: str, payload: dict[str, Any]) -> str:
    """Add the plan's snapshot row (compressed payload) to ``uow``; return the payload's SHA-256."""
    packed, sha = pack_payload(payload)
    uow.session.add(SnapshotRow(plan_id=plan_id, digest=digest, payload=None, payload_gz=packed))
    return sha


def read_snapshot(uow: UnitOfWork, plan_id: int) -> tuple[dict[str, Any], str]:
    """The frozen payload and the published digest, read inside ``uow``: from the compressed column, or from
    the text of a row frozen before migration 0002. The stored text must be the payload's canonical form."""
    query = select(SnapshotRow.id, SnapshotRow.digest).where(SnapshotRow.plan_id == plan_id)
    found = uow.session.execute(query).one_or_none()
    if found is None:
        raise NotFound(f"plan {plan_id} has not been frozen")
    snap_id, digest = found
    packed, text = uow.session.execute(
        select(SnapshotRow.payload_gz, SnapshotRow.payload).where(SnapshotRow.id == snap_id)
    ).one()
    if packed is not None:
        raw = unpack_payload(packed)
    elif text is not None:
        raw = text.encode("utf-8")
    else:
        raise VerificationError(f"the stored snapshot of plan {plan_id} has no payload")
    del packed, text
    stored_sha = hashlib.sha256(raw).hexdigest()
    payload = loads(raw)
    del raw
    if payload_digest(payload) != stored_sha:
        raise VerificationError(f"the stored snapshot of plan {plan_id} is not in canonical form: altered?")
    return payload, str(digest)


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


def options_from_payload(payload: dict[str, Any]) -> FrozenOptions:
    """The inspector draw's options fixed at the freeze (the defaults in a payload frozen before they were)."""
    found = payload.get("options")
    return FrozenOptions() if found is None else options_from_dict(found)


def committed_from_payload(payload: dict[str, Any]) -> dict[str, list[str]] | None:
    """The layout committed at the freeze (per task, the tiers aligned), or None if the payload has none."""
    found = payload.get("coordination")
    return None if not isinstance(found, dict) else dict(found["aligned"])


def loads(text: str | bytes) -> dict[str, Any]:
    data = json.loads(text)
    assert isinstance(data, dict)
    return data
