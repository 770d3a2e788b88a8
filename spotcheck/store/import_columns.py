"""The import use case for the two big files when they are read as columns (``ingest.fast_parse``): no domain
object per row, references checked on the distinct values, new rows written with ``DirectoryRepository.append``
(COPY on PostgreSQL, with the indexes rebuilt after a large load: ``store.bulk_indexes``). Same outcome and
report as ``importer.import_parsed`` (docs/formats.md "Importing into the database"); whenever a row has a
problem it returns ``None`` and the caller imports the file row by row, which reports every problem with its
line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spotcheck.ingest.fast_parse import fast_firms, fast_tier_file
from spotcheck.ingest.parse import Progress
from spotcheck.store.bulk_indexes import deferred_indexes
from spotcheck.store.convert import KEY_COLUMNS
from spotcheck.store.uow import UnitOfWork

__all__ = ["COLUMNAR_KINDS", "ColumnarImport", "import_columns"]

COLUMNAR_KINDS = frozenset({"enterprises", "tiers"})
# the referring column of each kind and the kind it refers to
_REFERS = {"enterprises": ("district", "districts"), "tiers": ("uscc", "enterprises")}


class ColumnarImport:
    """What ``import_columns`` did: the counts ``importer.ImportReport`` shows."""

    def __init__(self, rows: int, added: int, updated: int, unchanged: int) -> None:
        self.rows, self.added, self.updated, self.unchanged = rows, added, updated, unchanged


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
    values = found.values()
    names = list(values)
    count = len(values[names[0]])
    if progress is not None:
        progress(f"{path.name} (read)", count)
    column, target = _REFERS[kind]
    wanted = set(values[column])
    if uow.directory.existing(target, wanted) != wanted:
        return None
    keys = KEY_COLUMNS[kind]
    others = [n for n in names if n not in keys]
    stored = (
        {}  # a first import: nothing to compare with
        if uow.directory.count(kind) == 0
        else uow.directory.stored(kind, wanted if column == keys[0] else set(values[keys[0]]), others)
    )
    if progress is not None:
        progress(f"{path.name} (checked)", count)
    added_rows: list[int] = []
    updated: list[dict[str, Any]] = []
    unchanged = 0
    key_lists = [values[k] for k in keys]
    other_lists = [values[n] for n in others]
    if not stored:
        added_rows = list(range(count))
    else:
        for row, key in enumerate(zip(*key_lists, strict=True)):
            before = stored.get(key)
            if before is None:
                added_rows.append(row)
                continue
            now = tuple(v[row] for v in other_lists)
            if before == now:
                unchanged += 1
            elif kind == "tiers":
                return None  # a tier stored with another letter: the row importer words it
            else:
                updated.append({n: values[n][row] for n in names})
    every = len(added_rows) == count
    rows = (
        zip(*(values[n] for n in names), strict=True)
        if every
        else (tuple(values[n][row] for n in names) for row in added_rows)
    )
    with deferred_indexes(uow.session, uow.directory.table(kind).name, rows=len(added_rows)):
        uow.directory.append(kind, names, rows)
    uow.directory.update(kind, updated)
    if progress is not None:
        progress(f"{path.name} (stored)", count)
    return ColumnarImport(count, len(added_rows), len(updated), unchanged)
