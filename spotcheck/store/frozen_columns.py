"""The frozen snapshot's firm and tier columns, written as they stream from the directories and read back as the
draw's columns (docs/operations.md "The stored snapshot"; docs/draw-spec.md §1.1).

``freeze_columns`` reads each part (``enterprises``, ``tiers`` in force) piece by piece in credit-code order
(``city_columns.directory_pieces``) and, for every piece, hashes its columns (``ColumnDigests``), keeps the
draw's columns of it (``draw_columns``) and writes it to the compressed stream, spooled to a temporary file
while the database is still sending (PostgreSQL's COPY holds the connection); ``store_blocks`` then copies a
spool into the snapshot's blocks. ``read_columns`` reads the blocks back the same way: every column is hashed
and compared with the digest the document states, and only the draw's columns are kept. The firms' names,
legal representatives, addresses and registration dates are read again, checked and kept only when a step asks
for one (``FirmColumns.details``), in a session of their own. No step holds a whole text column otherwise.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any, Self

import pyarrow as pa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from spotcheck.domain.errors import VerificationError
from spotcheck.solver.draw.firm_columns import FirmColumns, TierColumns
from spotcheck.store.city_columns import COLUMNAR_KINDS, directory_pieces
from spotcheck.store.column_digest import ColumnDigests
from spotcheck.store.draw_columns import FirmBuilder, TierBuilder
from spotcheck.store.snapshot_blocks import BlockReader, BlockWriter
from spotcheck.store.snapshot_columns import SCHEMAS, StreamWriter, read_batches
from spotcheck.store.uow import UnitOfWork

__all__ = ["DETAILS", "TakenColumns", "freeze_columns", "read_columns", "store_blocks"]

DETAILS = ("name", "legal_rep", "address", "registered_on")  # what the draws never read
SPOOL_BYTES = 64 << 20  # a part's compressed stream kept in memory up to this size, then on disk
Progress = Callable[[str, int, int], None]
Stated = dict[str, dict[str, Any]]  # per part: {"rows": n, "sha256": {column: digest}}


@dataclass
class TakenColumns:
    """What the freeze took: the draw's columns, each part's rows and column digests, its spooled stream."""

    firms: FirmColumns
    tiers: TierColumns
    stated: Stated
    streams: dict[str, IO[bytes]]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        for stream in self.streams.values():
            stream.close()


def _not_kept(i: int) -> tuple[str, str, str, date | None]:
    raise LookupError("the freeze keeps the firms' details only in the stored snapshot (read it back)")


def _consume(
    pieces: Iterable[pa.Table | pa.RecordBatch], kind: str, sink: IO[bytes] | None
) -> tuple[Any, Any]:
    """Hash, keep the draw's columns of, and (with ``sink``) write every piece: (digests, builder)."""
    digests = ColumnDigests(SCHEMAS[kind])
    builder = FirmBuilder() if kind == "enterprises" else TierBuilder()
    writer = None if sink is None else StreamWriter(sink, SCHEMAS[kind])
    try:
        for piece in pieces:
            digests.update(piece)
            builder.add(piece)
            if writer is not None:
                writer.write(piece)
        if writer is not None:
            writer.close()
    except BaseException:
        digests.close()
        close = getattr(pieces, "close", None)
        if (
            close is not None
        ):  # a COPY stopped part-way is read to its end, so the rollback after this can run
            close()
        raise
    return digests, builder


def freeze_columns(uow: UnitOfWork, *, as_of: date, progress: Progress | None = None) -> TakenColumns:
    """Read, hash, keep and spool both parts (module docstring)."""
    stated: Stated = {}
    streams: dict[str, IO[bytes]] = {}
    built: dict[str, Any] = {}
    try:
        for kind in COLUMNAR_KINDS:
            spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the caller)
            streams[kind] = spool
            pieces = directory_pieces(uow, kind, as_of=as_of, progress=progress)
            digests, built[kind] = _consume(pieces, kind, spool)
            stated[kind] = {"rows": digests.rows, "sha256": digests.finish()}
            spool.seek(0)
    except BaseException:
        for stream in streams.values():
            stream.close()
        raise
    return TakenColumns(built["enterprises"].finish(_not_kept), built["tiers"].finish(), stated, streams)


def store_blocks(session: Session, snapshot_id: int, part: str, stream: IO[bytes]) -> None:
    """Copy a spooled stream into the snapshot's blocks of ``part``."""
    with BlockWriter(session, snapshot_id, part) as sink:
        shutil.copyfileobj(stream, sink)


def _blocks(session: Session, snapshot_id: int, kind: str) -> Iterable[pa.RecordBatch]:
    return read_batches(io.BufferedReader(BlockReader(session, snapshot_id, kind)), kind)


def _checked(digests: ColumnDigests, stated: dict[str, Any], what: str) -> None:
    found = digests.finish()
    if digests.rows != stated["rows"] or any(found[n] != stated["sha256"][n] for n in found):
        raise VerificationError(f"the stored snapshot's {what} do not match their digests: altered?")


class _StoredDetails:
    """``FirmColumns.details`` of a stored snapshot: the detail columns read, checked and kept at the first ask."""

    def __init__(self, engine: Engine, snapshot_id: int, stated: dict[str, Any], what: str) -> None:
        self.engine, self.snapshot_id, self.stated, self.what = engine, snapshot_id, stated, what
        self.columns: list[pa.Array] | None = None

    def _load(self) -> list[pa.Array]:
        schema = pa.schema([SCHEMAS["enterprises"].field(n) for n in DETAILS])
        digests = ColumnDigests(schema)
        kept: list[pa.RecordBatch] = []
        with Session(self.engine) as session:
            for batch in _blocks(session, self.snapshot_id, "enterprises"):
                part = pa.RecordBatch.from_arrays([batch.column(n) for n in DETAILS], schema=schema)
                digests.update(part)
                kept.append(part)
        _checked(digests, {"rows": self.stated["rows"], "sha256": self.stated["sha256"]}, self.what)
        table = pa.Table.from_batches(kept, schema=schema).combine_chunks()
        return [table.column(n).combine_chunks() for n in DETAILS]

    def __call__(self, i: int) -> tuple[str, str, str, date | None]:
        if self.columns is None:
            self.columns = self._load()
        name, legal_rep, address, registered = (c[i].as_py() for c in self.columns)
        return name, legal_rep, address, registered


def read_columns(
    session: Session, snapshot_id: int, stated: Stated, *, what: str, progress: Progress | None = None
) -> tuple[FirmColumns, TierColumns]:
    """The draw's columns of a stored snapshot, every stored column checked against ``stated`` (the document's
    ``columns``); VerificationError naming ``what`` (e.g. ``enterprises of plan 3``) otherwise."""
    built: dict[str, Any] = {}
    if progress is not None:
        progress("reading the snapshot", 0, len(COLUMNAR_KINDS))
    for n, kind in enumerate(COLUMNAR_KINDS, start=1):
        digests, built[kind] = _consume(_blocks(session, snapshot_id, kind), kind, None)
        _checked(digests, stated[kind], f"{kind} of {what}")
        if progress is not None:
            progress("reading the snapshot", n, len(COLUMNAR_KINDS))
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    details = _StoredDetails(engine, snapshot_id, stated["enterprises"], f"enterprises of {what}")
    return built["enterprises"].finish(details), built["tiers"].finish()
