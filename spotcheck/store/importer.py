"""Import use case: validate a whole file (cells, duplicates, references to what is stored), then write it in
one transaction. Directories are upserted (added / updated / unchanged); tier records are only appended.
The two big files are streamed when every row passes (``import_columns``); otherwise, and for the other
files, the rows are checked and written here, the whole file at once (``ROW_BY_ROW_LIMIT``).

    report = import_file(UnitOfWork(engine), "enterprises", Path("enterprises.csv"))
    reports = import_folder(UnitOfWork(engine), Path("city/"))   # every kind, dependency order, one transaction
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spotcheck.domain.errors import Problem, ValidationError
from spotcheck.ingest.arrow_csv import data_lines
from spotcheck.ingest.cells import Normalised
from spotcheck.ingest.city import OPTIONAL_KINDS, find_file
from spotcheck.ingest.columns import FILE_NAMES, KINDS
from spotcheck.ingest.parse import Parsed, Progress, parse_file
from spotcheck.ingest.references import check_references
from spotcheck.store.base import now_iso
from spotcheck.store.bulk_indexes import build_after_commit, relaxed_commit
from spotcheck.store.convert import KEY_COLUMNS, to_values
from spotcheck.store.import_columns import COLUMNAR_KINDS, import_columns
from spotcheck.store.uow import UnitOfWork

__all__ = ["ROW_BY_ROW_LIMIT", "ImportReport", "import_file", "import_folder", "import_parsed"]

# The row-by-row import holds the whole file (a record, a dict and a line per row: about 1 KiB a firm,
# docs/scale.md "Streamed import"); past this many rows it would not fit the 4 GiB a step may take.
ROW_BY_ROW_LIMIT = 3_000_000


@dataclass(frozen=True)
class ImportReport:
    kind: str
    file: str
    rows: int
    added: int
    updated: int
    unchanged: int
    normalised: tuple[Normalised, ...] = ()

    def summary(self) -> str:
        if self.added == 0 and self.updated == 0:
            head = f"{self.kind}: {self.file}: nothing changed (unchanged: {self.unchanged})"
        else:
            head = f"{self.kind}: {self.file}: added {self.added}, updated {self.updated}, unchanged: {self.unchanged}"
        lines = [head]
        if self.normalised:
            lines.append(f"  {len(self.normalised)} credit code(s) normalised:")
            lines += [f"    line {n.line}: {n.raw!r} -> {n.code}" for n in self.normalised[:20]]
            if len(self.normalised) > 20:
                lines.append(f"    ... and {len(self.normalised) - 20} more")
        return "\n".join(lines)


def _lookup(uow: UnitOfWork) -> Callable[[str, set[str]], set[str]]:
    return lambda target, keys: uow.directory.existing(target, keys)


def import_parsed(uow: UnitOfWork, parsed: Parsed) -> ImportReport:
    """Check ``parsed`` against the stored directories and write it (inside ``uow``; the caller commits)."""
    kind = parsed.kind
    check_references(parsed, _lookup(uow))
    rows = [to_values(kind, record) for _, record in parsed.records]
    lines = [line for line, _ in parsed.records]
    key_names = KEY_COLUMNS[kind]
    value_names = [name for name in (rows[0] if rows else {}) if name not in key_names]
    stored = uow.directory.stored(kind, {row[key_names[0]] for row in rows}, value_names)
    added: list[dict[str, Any]] = []
    updated: list[dict[str, Any]] = []
    unchanged = 0
    for line, row in zip(lines, rows, strict=True):
        before = stored.get(tuple(row[k] for k in key_names))
        if before is None:
            added.append(row)
        elif before == tuple(row[v] for v in value_names):
            unchanged += 1
        elif kind == "tiers":
            parsed.problems.append(
                Problem(
                    line,
                    "tier",
                    f"already stored as tier {before[0]} for this date and batch; tiers are append-only",
                )
            )
        else:
            updated.append(row)
    parsed.raise_if_bad()
    uow.directory.insert(kind, added)
    uow.directory.update(kind, updated)
    return ImportReport(
        kind=kind,
        file=parsed.path.name,
        rows=len(rows),
        added=len(added),
        updated=len(updated),
        unchanged=unchanged,
        normalised=tuple(parsed.normalised),
    )


def audit_import(uow: UnitOfWork, reports: list[ImportReport], *, actor: str) -> None:
    """One audit entry for what an import changed, in the import's own transaction (nothing if nothing changed).
    Tier files are logged as "tier_batch" (the credit system's pushes), directories as "import"."""
    changed = {
        r.kind: {"file": r.file, "added": r.added, "updated": r.updated}
        for r in reports
        if r.added or r.updated
    }
    if not changed:
        return
    action = "tier_batch" if set(changed) == {"tiers"} else "import"
    uow.audit.append(at=now_iso(), action=action, actor=actor, payload={"changes": changed})


def _import_one(uow: UnitOfWork, kind: str, path: Path, progress: Progress | None) -> ImportReport:
    """Columns first (the big files, when every row passes); otherwise row by row, every problem reported."""
    done = import_columns(uow, kind, path, progress=progress)
    if done is not None:
        return ImportReport(kind, path.name, done.rows, done.added, done.updated, done.unchanged)
    if kind in COLUMNAR_KINDS and path.suffix.lower() == ".csv":
        lines = data_lines(path)
        if lines > ROW_BY_ROW_LIMIT:
            raise ValidationError(
                f"{path.name}: not every one of its {lines:,} rows passes the fast checks (a row to report, a "
                "repeated key, a quoted cell); the row-by-row check that names each problem holds the whole file "
                f"in memory and takes files of at most {ROW_BY_ROW_LIMIT:,} rows: import the file in parts of "
                "that size to see each problem with its line"
            )
    return import_parsed(uow, parse_file(kind, path, progress=progress))


def import_file(
    uow: UnitOfWork, kind: str, path: Path, *, actor: str = "cli", progress: Progress | None = None
) -> ImportReport:
    """Validate ``path`` as ``kind`` completely, then write it in one transaction (nothing if any row is bad)."""
    with uow:
        relaxed_commit(uow.session)
        report = _import_one(uow, kind, path, progress)
        audit_import(uow, [report], actor=actor)
        uow.commit()
    build_after_commit(uow.engine, progress=progress)  # the firm-name index, if a large load left it out
    return report


def import_folder(
    uow: UnitOfWork, folder: Path, *, actor: str = "cli", progress: Progress | None = None
) -> list[ImportReport]:
    """Import every file of a city folder in dependency order, all in one transaction (plan.json is not
    imported here: plans have their own lifecycle)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValidationError(f"{folder}: not a folder")
    reports: list[ImportReport] = []
    with uow:
        relaxed_commit(uow.session)
        for kind in KINDS:
            path = find_file(folder, kind)
            if path is None:
                if kind in OPTIONAL_KINDS:
                    continue
                raise ValidationError(f"{folder}: missing {FILE_NAMES[kind]} (or .xlsx)")
            reports.append(_import_one(uow, kind, path, progress))
        audit_import(uow, reports, actor=actor)
        uow.commit()
    build_after_commit(uow.engine, progress=progress)  # the firm-name index, if a large load left it out
    return reports
