"""The frozen inputs of a draw: a small canonical JSON document and, for the firms and their tiers, columns
(docs/operations.md "The stored snapshot").

The document (format ``spotcheck-frozen-inputs/4``) holds the small directories as the import files' columns
(sorted by key), the plan, the year's earlier published draw records (history), for the inspector draw's
rotation earlier years' records with officers (``rotation``, docs/assign-spec.md §3), the options and the
committed coordination, and under ``columns`` each column table's row count and column digests. The firms and
their tiers in force are stored as compressed Arrow columns (``store.snapshot_columns``, ``store.snapshot_blocks``),
written as they stream from the database and checked against those digests when read, batch by batch; a read
keeps only the columns the draws read (``store.frozen_columns``). The draw's own digest (``spotcheck.solver.draw.snapshot_parts``,
draw-spec §1) is what is published and enters the seed; the document's SHA-256 is stored beside it, so neither
the document nor, through its column digests, the columns can be changed unnoticed. A document of format /1 to
/3 holds every directory in ``tables`` itself and is read as before.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from typing import IO, Any

import pyarrow as pa
from sqlalchemy import select

from spotcheck.domain.errors import NotFound, VerificationError
from spotcheck.domain.model import City
from spotcheck.evidence.canonical import canonical_json
from spotcheck.ingest.plan import parse_plan, plan_to_dict
from spotcheck.solver.assign.options import FrozenOptions, options_from_dict
from spotcheck.store.city_columns import COLUMNAR_KINDS
from spotcheck.store.convert import KEY_COLUMNS, from_row, to_values
from spotcheck.store.frozen_columns import read_columns, store_blocks
from spotcheck.store.quarter import SnapshotRow
from spotcheck.store.snapshot_columns import firm_columns, tier_columns
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "COLUMNAR_KINDS",
    "KINDS",
    "city_from_payload",
    "committed_from_payload",
    "frozen_city",
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
# "coordination" (a /2 payload reads as the default options and no committed layout); /4: the firms and tiers
# as columns beside the document ("columns": rows and column digests), no longer in "tables".
SNAPSHOT_PAYLOAD = "spotcheck-frozen-inputs/4"
KINDS = ("departments", "districts", "items", "enterprises", "tiers", "inspectors", "experts", "conflicts")
Progress = Callable[[str, int, int], None]


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
    columns: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """Every input of the draw but the column tables as JSON-ready data; lists sorted by key so equal inputs
    give equal text. ``options``: the inspector draw's (``options_to_dict``); ``coordination``: the committed
    layout (``{"aligned", "offsets"}``, draw-spec §5); ``columns``: the firm and tier tables stated by row
    count and column digests (``store.frozen_columns.Frozen.stated``)."""
    assert city.plan is not None
    tables: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS:
        if kind in COLUMNAR_KINDS:
            continue
        rows = [_plain(to_values(kind, r)) for r in getattr(city, kind)]
        key = KEY_COLUMNS[kind]
        rows.sort(key=lambda r: tuple(str(r[c]) for c in key))
        tables[kind] = rows
    return {
        "format": SNAPSHOT_PAYLOAD,
        "frozen_on": frozen_on.isoformat(),
        "plan": plan_to_dict(city.plan),
        "tables": tables,
        "columns": {
            kind: {"rows": columns[kind]["rows"], "sha256": dict(columns[kind]["sha256"])}
            for kind in COLUMNAR_KINDS
        },
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


def store_snapshot(
    uow: UnitOfWork,
    plan_id: int,
    digest: str,
    payload: dict[str, Any],
    streams: dict[str, IO[bytes]],
    *,
    progress: Progress | None = None,
) -> str:
    """Add the plan's snapshot row (compressed document) and its column blocks to ``uow``; return the
    document's SHA-256. ``streams``: each part's compressed column stream (``store.frozen_columns``)."""
    packed, sha = pack_payload(payload)
    row = SnapshotRow(plan_id=plan_id, digest=digest, payload=None, payload_gz=packed)
    uow.session.add(row)
    uow.session.flush()
    if progress is not None:
        progress("storing the snapshot", 0, len(COLUMNAR_KINDS))
    for n, kind in enumerate(COLUMNAR_KINDS, start=1):
        store_blocks(uow.session, row.id, kind, streams[kind])
        if progress is not None:
            progress("storing the snapshot", n, len(COLUMNAR_KINDS))
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


def frozen_city(
    uow: UnitOfWork, plan_id: int, payload: dict[str, Any], *, progress: Progress | None = None
) -> tuple[City, list[dict[str, Any]]]:
    """The frozen ``City`` and history of a document read by ``read_snapshot``, with its column tables read
    from the plan's snapshot blocks and checked against the document's column digests."""
    stated = payload.get("columns")
    if stated is None:  # formats /1 to /3: every directory is in the document
        return city_from_payload(payload)
    snap_id = uow.session.execute(select(SnapshotRow.id).where(SnapshotRow.plan_id == plan_id)).scalar_one()
    firms, tiers = read_columns(uow.session, snap_id, stated, what=f"plan {plan_id}", progress=progress)
    city, history = city_from_payload(payload)
    return replace(city, enterprises=firms, tiers=tiers), history


def city_from_payload(
    payload: dict[str, Any], columns: dict[str, pa.Table] | None = None
) -> tuple[City, list[dict[str, Any]]]:
    """The frozen ``City`` (with its plan) and the history records; ``columns``: the firm and tier tables of
    a document of format /4 (without them, its firms and tiers are left empty)."""
    parsed: dict[str, Any] = {}
    if columns is not None:
        parsed["enterprises"] = firm_columns(columns["enterprises"])
        parsed["tiers"] = tier_columns(columns["tiers"])
    for kind in KINDS:
        if kind in parsed:
            continue
        if kind not in payload["tables"]:  # format /4 read without its columns
            parsed[kind] = ()
            continue
        records = []
        for values in payload["tables"][kind]:
            row = dict(values)
            for name in ("registered_on", "effective"):
                if isinstance(row.get(name), str):
                    row[name] = date.fromisoformat(row[name])
            records.append(from_row(kind, SimpleNamespace(**row)))
        parsed[kind] = tuple(records)
    city = City(**parsed, plan=parse_plan(payload["plan"]))
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
