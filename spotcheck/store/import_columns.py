"""The import use case for the two big files, streamed: the file is read a block at a time as columns
(``ingest.arrow_csv.stream_columns``), each block is checked vectorised (``ingest.fast_parse``), its references
are checked against the stored keys, and it is written by COPY (``store.bulk.write_table``) before the next
block is read. Across blocks only the keys are kept (``ingest.key_ledger``, for the duplicate check at the end),
so memory stays about flat in the file's size (docs/scale.md "Streamed import").

Same outcome and report as ``importer.import_parsed`` (docs/formats.md "Importing into the database"): the
blocks are written inside a savepoint of the caller's transaction, and whenever a row has a problem (in any
block, or a key repeated across blocks) the savepoint is rolled back, ``None`` is returned and the caller
imports the file row by row, which reports every problem with its line.

A first import (the table is empty) writes every row, each block in key order. A re-import compares each block
with the stored rows in the database (``store.import_compare``): new rows are written by COPY, changed firms
updated, a tier record stored with another letter refused (tiers are append-only).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from spotcheck.domain.errors import ValidationError
from spotcheck.ingest.arrow_csv import STREAM_BLOCK, ArrowColumns, NotColumnar, data_lines, stream_columns
from spotcheck.ingest.fast_parse import FastFirms, FastTiers, firms_from, tiers_from
from spotcheck.ingest.key_ledger import KeyLedger
from spotcheck.ingest.parse import Progress
from spotcheck.store.base import utcnow
from spotcheck.store.bulk import WantedKeys, savepoint, sqlite_value, write_table
from spotcheck.store.bulk_indexes import deferred_indexes
from spotcheck.store.convert import KEY_COLUMNS
from spotcheck.store.import_compare import StoredComparison
from spotcheck.store.uow import UnitOfWork

__all__ = ["COLUMNAR_KINDS", "ColumnarImport", "import_columns"]

COLUMNAR_KINDS = frozenset({"enterprises", "tiers"})
# the referring column of each kind and the kind it refers to
_REFERS = {"enterprises": ("district", "districts"), "tiers": ("uscc", "enterprises")}
FEW_KEYS = (
    5_000  # distinct references up to this many are looked up; more are checked against every stored key
)
BLOCK_BYTES = STREAM_BLOCK  # bytes of the file read, checked and written at a time
COMPARED = {
    "enterprises": ["name", "kind", "district", "industry", "status", "legal_rep", "address", "registered_on"]
}


class ColumnarImport:
    """What ``import_columns`` did: the counts ``importer.ImportReport`` shows."""

    def __init__(self, rows: int, added: int, updated: int, unchanged: int) -> None:
        self.rows, self.added, self.updated, self.unchanged = rows, added, updated, unchanged


def import_columns(
    uow: UnitOfWork, kind: str, path: Path, *, progress: Progress | None = None
) -> ColumnarImport | None:
    """Check ``path`` against what is stored and write it inside ``uow`` (the caller commits); None when the
    row-by-row import must run instead (a row to report, or a file the columnar reader leaves to it), with
    nothing of this file written."""
    if kind not in COLUMNAR_KINDS:
        return None
    blocks = stream_columns(kind, path, block=BLOCK_BYTES)
    if blocks is None:
        return None
    uow.session.flush()
    try:
        with savepoint(uow.session):
            return _Streamed(uow, kind, path, progress).run(blocks)
    except (
        NotColumnar,
        ValidationError,
    ):  # a row refused (by a check here or by the database): reported there
        return None


class _Streamed:
    """One streamed import of ``path``: the counts so far and what the checks keep across blocks."""

    def __init__(self, uow: UnitOfWork, kind: str, path: Path, progress: Progress | None) -> None:
        self.uow, self.kind, self.path, self.progress = uow, kind, path, progress
        self.table = uow.directory.table(kind).name
        self.ledger = KeyLedger()
        self.known: set[str] = set()  # references found stored, when they are few (districts)
        self.wanted: WantedKeys | None = None  # references of blocks with many, checked at the end (firms)
        self.rows = self.added = self.updated = self.unchanged = 0
        # tier rows get the time received, one value for the load, as ``DirectoryRepository.append`` gives it
        self.received = pa.scalar(sqlite_value(utcnow()), pa.string())  # ISO text, as both databases take it

    def run(self, blocks: Iterator[ArrowColumns]) -> ColumnarImport:
        stored = self.uow.directory.count(self.kind)
        lines = data_lines(self.path)
        self.label = f"{self.path.name} (of {lines:,} lines)"
        # rows to be added, at most: sizes the load for ``deferred_indexes`` before any block is read
        expected = lines if stored == 0 else max(lines - stored, 0)
        compare = None if stored == 0 else self._comparison()
        with deferred_indexes(self.uow.session, self.table, rows=expected):
            for columns in blocks:
                self._block(columns, compare)
            if self.ledger.repeated():
                raise NotColumnar
            column = KEY_COLUMNS[_REFERS[self.kind][1]][0]
            if self.wanted is not None and self.wanted.missing(column):
                raise NotColumnar
            if self.progress is not None and self.added:
                self.progress(f"{self.path.name} (written; indexing)", self.rows)
        if compare is not None:
            compare.drop()
        if self.progress is not None:
            self.progress(f"{self.path.name} (stored)", self.rows)
        return ColumnarImport(self.rows, self.added, self.updated, self.unchanged)

    def _comparison(self) -> StoredComparison:
        keys = KEY_COLUMNS[self.kind]
        others = COMPARED.get(self.kind, ["tier"])
        return StoredComparison(self.uow.session, self.table, keys, others)

    def _block(self, columns: ArrowColumns, compare: StoredComparison | None) -> None:
        found: FastFirms | FastTiers | None
        if self.kind == "enterprises":
            found = firms_from(columns)
            if found is not None:
                self.ledger.add_firms(found.firms.codes)
        else:
            found = tiers_from(columns)
            if found is not None:
                self.ledger.add_tiers(found.tiers)
        if found is None:
            raise NotColumnar
        rows = found.table()
        self._check_references(rows)
        if compare is None:  # a first import: every row is new, written in key order
            added = rows.take(pa.array(found.order))
        else:
            new, changed = compare(rows)
            if len(changed) and self.kind == "tiers":
                raise NotColumnar  # a tier stored with another letter: the row importer words it
            updated: list[dict[str, Any]] = rows.take(pa.array(changed)).to_pylist()
            self.uow.directory.update(self.kind, updated)
            added = rows.take(pa.array(new))
            self.updated += len(changed)
            self.unchanged += rows.num_rows - len(new) - len(changed)
        if added.num_rows:
            write_table(self.uow.session, self.table, self._with_received(added))
        self.rows += rows.num_rows
        self.added += added.num_rows
        if self.progress is not None:
            self.progress(self.label, self.rows)

    def _check_references(self, rows: pa.Table) -> None:
        """Every referenced key of the block is stored (its distinct values, set-wise); else ``NotColumnar``.
        Many distinct values are gathered in the database and checked once, after the last block; a foreign
        key the load keeps refuses an unknown one meanwhile (a ValidationError, which undoes the savepoint)."""
        column, target = _REFERS[self.kind]
        wanted = pc.unique(rows.column(column).combine_chunks())
        if len(wanted) <= FEW_KEYS:
            asked = set(wanted.to_pylist()) - self.known
            if self.uow.directory.existing(target, asked) != asked:
                raise NotColumnar
            if len(self.known) < FEW_KEYS:
                self.known |= asked
            return
        if self.wanted is None:
            self.wanted = WantedKeys(self.uow.session, self.uow.directory.table(target).name)
        self.wanted.add(wanted)

    def _with_received(self, rows: pa.Table) -> pa.Table:
        if self.kind != "tiers":
            return rows
        return rows.append_column("received", pa.repeat(self.received, rows.num_rows))
