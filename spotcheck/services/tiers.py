"""The credit system's tier push as a use case: append a spooled push (a tiers.csv file of any length) in chunks
of ``CHUNK_ROWS`` rows, audit it and commit.

Each chunk is parsed and checked by the same reader as ``spotcheck import tiers`` and written with its store
batches; memory stays bounded by the chunk, not the push. All chunks run in the caller's one transaction, so the
push is still all or nothing: after the first bad chunk nothing more is written, but every later chunk is still
checked (cells, duplicates within the chunk, unknown firms), and every bad row is reported with its line in the
pushed file. While all is well, a row repeated in a later chunk meets the earlier one already written in the
transaction and is reported like any duplicate.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from spotcheck.domain.errors import Problem, ValidationError
from spotcheck.domain.model import TierRecord
from spotcheck.ingest.parse import parse_file
from spotcheck.ingest.references import check_references
from spotcheck.services.common import audit
from spotcheck.store.directory_repo import WRITE_BATCH
from spotcheck.store.importer import import_parsed
from spotcheck.store.uow import UnitOfWork

__all__ = ["CHUNK_ROWS", "TierBatchReport", "append_tier_file"]

CHUNK_ROWS = 200_000


class TierBatchReport(BaseModel):
    """What a push appended: its batches (";"-joined), rows received and appended, store batches written."""

    batch: str
    received: int
    appended: int
    batches_written: int


def _chunks(path: Path, rows: int) -> Iterator[tuple[int, Path]]:
    """(line offset, chunk file) for each ``rows`` data rows of ``path``, each chunk with the header."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise ValidationError("empty push: send tiers.csv rows or JSON lines")
            index, done = 0, False
            while not done:
                target = path.with_name(f"chunk-{index:05d}.csv")
                written = 0
                with target.open("w", encoding="utf-8", newline="") as out:
                    writer = csv.writer(out)
                    writer.writerow(header)
                    for row in reader:
                        writer.writerow(row)
                        written += 1
                        if written == rows:
                            break
                    else:
                        done = True
                if written or index == 0:
                    yield index * rows, target
                target.unlink(missing_ok=True)
                index += 1
    except UnicodeDecodeError as exc:
        raise ValidationError('push is not UTF-8 text: send "CSV UTF-8" or JSON lines') from exc


def _shifted(problems: list[Problem], offset: int) -> list[Problem]:
    """Problems of a chunk, with lines counted in the pushed file."""
    return [Problem(p.line + offset if p.line else p.line, p.field, p.reason) for p in problems]


def append_tier_file(
    uow: UnitOfWork, path: Path, *, actor: str, chunk_rows: int = CHUNK_ROWS
) -> TierBatchReport:
    """Check and append every row of ``path`` inside ``uow`` (committed here, only if no row is bad)."""
    problems: list[Problem] = []
    received = appended = 0
    batches: set[str] = set()
    lookup = lambda kind, keys: uow.directory.existing(kind, keys)
    for offset, chunk in _chunks(path, chunk_rows):
        parsed = parse_file("tiers", chunk)
        received += len(parsed.records)
        batches.update(record.batch for _, record in parsed.records if isinstance(record, TierRecord))
        if problems or parsed.problems:  # a bad row: write nothing more (all will roll back), keep checking
            check_references(parsed, lookup)
            problems += _shifted(parsed.problems, offset)
            continue
        try:
            report = import_parsed(uow, parsed)
        except ValidationError as exc:
            if not exc.problems:
                raise
            problems += _shifted(exc.problems, offset)
            continue
        appended += report.added
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.field or ""))
        raise ValidationError(f"push refused: {len(problems)} problem(s); nothing was appended", problems)
    names = sorted(batches)
    audit(uow, "tier_batch", actor, {"batches": names, "rows": received, "appended": appended})
    uow.commit()
    return TierBatchReport(
        batch=";".join(names),
        received=received,
        appended=appended,
        batches_written=-(-appended // WRITE_BATCH),
    )
