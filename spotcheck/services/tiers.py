"""The credit system's tier push as a use case: append a spooled push (a tiers.csv file of any length) through a
staging table (``store.tier_staging``), audit it and commit.

The file is read in chunks of ``CHUNK_ROWS`` rows (no Python object per row of the push): each chunk's
cells are checked by the same reader as ``spotcheck import tiers`` (columns first, row by row when a row has a
problem) and its good rows are staged (COPY on PostgreSQL). The whole push is then checked in the database —
duplicates across the push, unknown firms, records stored with another tier, batch ids received before — and
applied, all in the caller's one transaction: a single problem appends nothing. On PostgreSQL the append is a
COPY of the checked rows, which the stage keeps as Arrow columns meanwhile (about 50 bytes a row: 50 MB for a
million); on SQLite memory stays bounded by the chunk.
A batch received before with the same content is applied once (its rows are skipped); the same batch id with
other content is refused. A refusal lists the first ``PROBLEMS_SHOWN`` problems by line and says how many there
are (docs/formats.md "Tier pushes").
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from spotcheck.domain.errors import LISTED_PROBLEMS, Problem, ValidationError
from spotcheck.ingest.arrow_csv import needs_csv_reader
from spotcheck.ingest.fast_parse import fast_tier_file
from spotcheck.ingest.parse import parse_file
from spotcheck.services.common import audit
from spotcheck.store.directory_repo import WRITE_BATCH
from spotcheck.store.tier_staging import TierStage
from spotcheck.store.uow import UnitOfWork

__all__ = ["CHUNK_ROWS", "PROBLEMS_SHOWN", "TierBatchReport", "append_tier_file"]

CHUNK_ROWS = 200_000
PROBLEMS_SHOWN = LISTED_PROBLEMS


class TierBatchReport(BaseModel):
    """What a push appended: its batches (";"-joined), rows received and appended, store batches written."""

    batch: str
    received: int
    appended: int
    batches_written: int


def _chunks(path: Path, rows: int) -> Iterator[tuple[int, Path]]:
    """(line offset, chunk file) for each ``rows`` data rows of ``path``, each chunk with the header."""
    try:
        split = _csv_chunks if needs_csv_reader(path) else _line_chunks
        yield from split(path, rows)
    except UnicodeDecodeError as exc:
        raise ValidationError('push is not UTF-8 text: send "CSV UTF-8" or JSON lines') from exc


def _line_chunks(path: Path, rows: int) -> Iterator[tuple[int, Path]]:
    """Without quotes or lone carriage returns every physical line is one row: chunks are runs of lines, copied
    as bytes (checked to be UTF-8), no CSV parsing in Python."""
    with path.open("rb") as handle:
        header = handle.readline()
        if not header:
            raise ValidationError("empty push: send tiers.csv rows or JSON lines")
        header.decode("utf-8")
        index = 0
        while True:
            lines = list(islice(handle, rows))
            if not lines and index:
                return
            body = b"".join(lines)
            body.decode("utf-8")
            target = path.with_name(f"chunk-{index:05d}.csv")
            target.write_bytes(header + body)  # a header without a line end is the file's last line
            yield index * rows, target
            target.unlink(missing_ok=True)
            if len(lines) < rows:
                return
            index += 1


def _csv_chunks(path: Path, rows: int) -> Iterator[tuple[int, Path]]:
    """Chunks of a file with quoted cells, through Python's csv module (a quoted cell may span lines)."""
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


STAGED = pa.schema(
    [
        ("line", pa.int64()),
        ("uscc", pa.string()),
        ("tier", pa.string()),
        ("effective", pa.date32()),
        ("batch", pa.string()),
    ]
)


def _read(chunk: Path, offset: int) -> tuple[pa.Table, list[Problem]]:
    """The chunk's good rows as columns (line in the push, uscc, tier, effective, batch) and its cell
    problems."""
    fast = fast_tier_file(chunk)
    if fast is not None:
        found = fast.table()
        lines = pa.array(fast.lines + offset, type=pa.int64())
        return pa.table([lines, *found.columns], schema=STAGED), []
    parsed = parse_file("tiers", chunk)
    rows = [
        (line + offset, r.uscc, r.tier.value, r.effective, r.batch)  # type: ignore[union-attr]
        for line, r in parsed.records
    ]
    problems = [Problem(p.line + offset if p.line else p.line, p.field, p.reason) for p in parsed.problems]
    return pa.Table.from_pylist([dict(zip(STAGED.names, row, strict=True)) for row in rows], STAGED), problems


def _refuse(problems: list[Problem], total: int) -> ValidationError:
    problems.sort(key=lambda p: (p.line or 0, p.field or ""))
    shown = f" (the first {PROBLEMS_SHOWN} listed)" if total > PROBLEMS_SHOWN else ""
    return ValidationError(
        f"push refused: {total} problem(s){shown}; nothing was appended",
        problems[:PROBLEMS_SHOWN],
        count=total,
    )


def append_tier_file(
    uow: UnitOfWork, path: Path, *, actor: str, chunk_rows: int = CHUNK_ROWS
) -> TierBatchReport:
    """Check and append every row of ``path`` inside ``uow`` (committed here, only if no row is bad)."""
    stage = TierStage(uow.session)
    problems: list[Problem] = []
    total = received = 0
    batches: set[str] = set()
    for offset, chunk in _chunks(path, chunk_rows):
        rows, found = _read(chunk, offset)
        total += len(found)
        problems += found[:PROBLEMS_SHOWN]
        received += rows.num_rows
        batches.update(pc.unique(rows.column("batch")).to_pylist())
        stage.add(rows)
    found, count = stage.problems(limit=PROBLEMS_SHOWN)
    problems += found
    total += count
    if total:
        raise _refuse(problems, total)
    again, refused = stage.settle_batches()
    if refused:
        raise _refuse(refused, len(refused))
    appended = stage.apply()
    stage.drop()
    names = sorted(batches)
    audit(
        uow,
        "tier_batch",
        actor,
        {"batches": names, "rows": received, "appended": appended, "already_received": again},
    )
    uow.commit()
    return TierBatchReport(
        batch=";".join(names),
        received=received,
        appended=appended,
        batches_written=-(-appended // WRITE_BATCH),
    )
