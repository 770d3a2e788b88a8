"""The import use case for the two big files when they are read as columns (``ingest.fast_parse``): no domain
object per row, references checked as whole columns against the stored keys, new rows written as an Arrow
table (``store.bulk.write_table``: COPY on PostgreSQL, with the indexes rebuilt after a large load:
``store.bulk_indexes``). Same outcome and report as ``importer.import_parsed`` (docs/formats.md "Importing into
the database"); whenever a row has a problem it returns ``None`` and the caller imports the file row by row,
which reports every problem with its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from spotcheck.ingest.fast_parse import fast_firms, fast_tier_file
from spotcheck.ingest.parse import Progress
from spotcheck.store.base import utcnow
from spotcheck.store.bulk import count_missing, sqlite_value, write_table
from spotcheck.store.bulk_indexes import deferred_indexes
from spotcheck.store.convert import KEY_COLUMNS
from spotcheck.store.uow import UnitOfWork

__all__ = ["COLUMNAR_KINDS", "ColumnarImport", "import_columns"]

COLUMNAR_KINDS = frozenset({"enterprises", "tiers"})
# the referring column of each kind and the kind it refers to
_REFERS = {"enterprises": ("district", "districts"), "tiers": ("uscc", "enterprises")}
FEW_KEYS = (
    5_000  # distinct references up to this many are looked up; more are checked against every stored key
)


class ColumnarImport:
    """What ``import_columns`` did: the counts ``importer.ImportReport`` shows."""

    def __init__(self, rows: int, added: int, updated: int, unchanged: int) -> None:
        self.rows, self.added, self.updated, self.unchanged = rows, added, updated, unchanged


def _all_stored(uow: UnitOfWork, target: str, column: pa.Array) -> bool:
    """Whether every value of ``column`` is a stored key of ``target`` (distinct values, set-wise)."""
    wanted = pc.unique(column)
    if len(wanted) <= FEW_KEYS:
        asked = set(wanted.to_pylist())
        return uow.directory.existing(target, asked) == asked
    table = uow.directory.table(target).name
    return count_missing(uow.session, wanted, table, KEY_COLUMNS[target][0]) == 0


def _with_received(kind: str, rows: pa.Table) -> pa.Table:
    """Tier rows get the time received (one value for the load), as ``DirectoryRepository.append`` gives it."""
    if kind != "tiers":
        return rows
    received = pa.scalar(sqlite_value(utcnow()), pa.string())  # ISO text, as both databases take it
    return rows.append_column("received", pa.repeat(received, rows.num_rows))


def import_columns(
    uow: UnitOfWork, kind: str, path: Path, *, progress: Progress | None = None
) -> ColumnarImport | None:
    """Check ``path`` against what is stored and write it inside ``uow`` (the caller commits); None when the
    row-by-row import must run instead (a row to report, or a file the columnar reader leaves to it)."""
    if kind not in COLUMNAR_KINDS:
        return None
    found = fast_firms(path) if kind == "enterprises" else fast_tier_file(path)
    if found is None:
        return None
    table = found.table()
    count = table.num_rows
    if progress is not None:
        progress(f"{path.name} (read)", count)
    column, target = _REFERS[kind]
    if not _all_stored(uow, target, table.column(column).combine_chunks()):
        return None
    if progress is not None:
        progress(f"{path.name} (checked)", count)
    updated: list[dict[str, Any]] = []
    unchanged = 0
    if uow.directory.count(kind) == 0:  # a first import: every row is new, written in key order
        added = table.take(pa.array(found.order))
    else:
        compared = _compared(uow, kind, found.values())
        if compared is None:
            return None
        chosen, updated, unchanged = compared
        added = table.take(pa.array(chosen, type=pa.int64()))
    uow.session.flush()
    with deferred_indexes(uow.session, uow.directory.table(kind).name, rows=added.num_rows):
        write_table(uow.session, uow.directory.table(kind).name, _with_received(kind, added))
        if progress is not None and added.num_rows:
            progress(f"{path.name} (written; indexing)", count)
    uow.directory.update(kind, updated)
    if progress is not None:
        progress(f"{path.name} (stored)", count)
    return ColumnarImport(count, added.num_rows, len(updated), unchanged)


def _compared(
    uow: UnitOfWork, kind: str, values: dict[str, list[Any]]
) -> tuple[list[int], list[dict[str, Any]], int] | None:
    """Against the stored rows: (rows to add, rows to update, how many are unchanged); None when a tier is
    stored with another letter (the row importer words it)."""
    names = list(values)
    keys = KEY_COLUMNS[kind]
    others = [n for n in names if n not in keys]
    stored = uow.directory.stored(kind, set(values[keys[0]]), others)
    added: list[int] = []
    updated: list[dict[str, Any]] = []
    unchanged = 0
    other_lists = [values[n] for n in others]
    for row, key in enumerate(zip(*(values[k] for k in keys), strict=True)):
        before = stored.get(key)
        if before is None:
            added.append(row)
            continue
        if before == tuple(v[row] for v in other_lists):
            unchanged += 1
        elif kind == "tiers":
            return None
        else:
            updated.append({n: values[n][row] for n in names})
    return added, updated, unchanged
