"""A tier push staged in a temporary table, checked there with SQL, then applied (docs/formats.md "Tier pushes").

    stage = TierStage(session)          # CREATE TEMP TABLE tier_stage (dropped at commit or rollback)
    stage.add(rows)                     # Arrow table (line, uscc, tier, effective, batch): COPY / executemany
    problems, count = stage.problems(limit=100)   # duplicates in the push, unknown firms, tiers stored otherwise
    skipped, refused = stage.settle_batches()      # batches received before: same content skipped, other refused
    appended = stage.apply()            # the rows not stored yet: COPY from memory (PostgreSQL) or INSERT ... SELECT

Cells (codes, tier letters, dates) are checked by the reader before they are staged; what needs the database
(firms, stored history, earlier batches) is checked here, over the whole push at once, set-wise: each check is
first one count (a hash join or aggregate over the stage, no index needed), and only a check that finds problems
reads its first rows. A batch's content digest is SHA-256 over its rows as ``uscc,tier,effective`` lines sorted
by (uscc, effective); PostgreSQL computes it over the stage itself (``string_agg`` in byte order, ``sha256``), so
no row comes back to Python. The stage is a temporary table: never written to the WAL.

On PostgreSQL the push's transaction gets ``work_mem`` of ``SORT_MEMORY`` (``SET LOCAL``: this transaction
only), so those sorts, aggregates and joins of a million rows stay in memory. The stage's codes and batch ids
compare by bytes, as the tables' do (migration 0012).

Applying (``store.tier_append``): on PostgreSQL by COPY of the rows the stage keeps as Arrow columns meanwhile,
elsewhere (and when a stored record already carries one of the push's batch ids) by ``INSERT ... SELECT``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from itertools import groupby
from operator import itemgetter
from typing import Any

import pyarrow as pa
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from spotcheck.domain.errors import Problem
from spotcheck.store.base import utcnow
from spotcheck.store.bulk import is_postgres, write_rows, write_table
from spotcheck.store.errors import translated
from spotcheck.store.tier_append import KEPT, batches_stored, copy_rows, insert_new

__all__ = ["STAGE", "TierStage"]

STAGE = "tier_stage"
COLUMNS = ("line", "uscc", "tier", "effective", "batch")
SORT_MEMORY = "256MB"

_DUPLICATES = f"""
SELECT line, uscc, effective, batch, first FROM (
  SELECT line, uscc, effective, batch, MIN(line) OVER (PARTITION BY uscc, effective, batch) AS first
  FROM {STAGE}) AS s
WHERE line > first"""
_DUPLICATES_COUNT = f"""
SELECT COALESCE(SUM(n - 1), 0) FROM (
  SELECT COUNT(*) AS n FROM {STAGE} GROUP BY uscc, effective, batch HAVING COUNT(*) > 1) AS d"""
_UNKNOWN = f"""
SELECT line, uscc FROM {STAGE} AS s
WHERE NOT EXISTS (SELECT 1 FROM enterprises AS e WHERE e.uscc = s.uscc)"""
_STORED_OTHERWISE = f"""
SELECT s.line, t.tier FROM {STAGE} AS s
JOIN tier_records AS t ON t.uscc = s.uscc AND t.effective = s.effective AND t.batch = s.batch
WHERE t.tier <> s.tier"""

# Per batch: SHA-256 over its ``uscc,tier,effective`` lines in byte order (COLLATE "C"), rows, first line.
_DIGESTS = f"""
SELECT batch, encode(sha256(convert_to(string_agg(
         uscc || ',' || tier || ',' || to_char(effective, 'YYYY-MM-DD') || E'\\n', ''
         ORDER BY uscc COLLATE "C", effective), 'UTF8')), 'hex'),
       COUNT(*), MIN(line)
FROM {STAGE} GROUP BY batch"""

# What ``problems`` checks, in order: the query, the one counting its rows (None: count the query's rows), the
# column a problem names, and its text for a row found.
_CHECKS: tuple[tuple[str, str | None, str, Callable[[Any], str]], ...] = (
    (
        _DUPLICATES,
        _DUPLICATES_COUNT,
        "uscc",
        lambda r: f"duplicate {r.uscc}, {_day(r.effective)}, {r.batch} (first on line {r.first})",
    ),
    (_UNKNOWN, None, "uscc", lambda r: f"unknown firm {r.uscc!r}"),
    (
        _STORED_OTHERWISE,
        None,
        "tier",
        lambda r: f"already stored as tier {r.tier} for this date and batch; tiers are append-only",
    ),
)


class TierStage:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = is_postgres(session)
        self.kept: list[pa.Table] = []  # PostgreSQL: the staged rows, for the append's COPY
        self.applied_before: list[str] = []  # batches settle_batches dropped from the stage
        # PostgreSQL drops the table with the transaction; SQLite keeps temp tables per connection (drop()).
        tail = " ON COMMIT DROP" if self.postgres else ""
        c = ' COLLATE "C"' if self.postgres else ""
        with translated("staging the tier push"):
            if not self.postgres:
                self.session.execute(text(f"DROP TABLE IF EXISTS {STAGE}"))
            else:
                self.session.execute(text(f"SET LOCAL work_mem = '{SORT_MEMORY}'"))
            self.session.execute(
                text(
                    f"CREATE TEMPORARY TABLE {STAGE} (line INTEGER NOT NULL, uscc VARCHAR(18){c} NOT NULL, "
                    f"tier VARCHAR(1) NOT NULL, effective DATE NOT NULL, batch VARCHAR(64){c} NOT NULL)"
                    f"{tail}"
                )
            )

    def add(self, rows: pa.Table) -> None:
        """Stage rows given as columns ``COLUMNS`` (in that order)."""
        write_table(self.session, STAGE, rows.select(list(COLUMNS)))
        if self.postgres:
            self.kept.append(rows.select(list(KEPT)))

    def _query(self, sql: str, counting: str | None, limit: int) -> tuple[list[Any], int]:
        counted = counting or f"SELECT COUNT(*) FROM ({sql}) AS q"
        count = int(self.session.execute(text(counted)).scalar_one())
        rows = list(self.session.execute(text(f"{sql} ORDER BY 1 LIMIT {int(limit)}"))) if count else []
        return rows, count

    def problems(self, *, limit: int) -> tuple[list[Problem], int]:
        """The first ``limit`` problems of each kind (the caller sorts and trims) and how many there are."""
        with translated("checking the tier push"):
            if self.postgres:  # a temporary table has no statistics until asked: the planner needs its size
                self.session.execute(text(f"ANALYZE {STAGE}"))
            found: list[Problem] = []
            total = 0
            for sql, counting, column, message in _CHECKS:
                rows, count = self._query(sql, counting, limit)
                total += count
                found += [Problem(r.line, column, message(r)) for r in rows]
        return found, total

    def digests(self) -> dict[str, tuple[str, int, int]]:
        """batch -> (SHA-256 of its content, rows, first line). PostgreSQL computes each digest itself (its rows'
        lines aggregated in byte order, then ``sha256``), so only one row per batch comes back; SQLite's rows
        are hashed here."""
        if self.postgres:
            with translated("reading the tier push"):
                found = self.session.execute(text(_DIGESTS)).all()
            return {batch: (digest, int(rows), int(first)) for batch, digest, rows, first in found}
        out: dict[str, tuple[str, int, int]] = {}
        query = text(
            f"SELECT batch, uscc, tier, effective, line FROM {STAGE} ORDER BY batch, uscc, effective"
        )
        with translated("reading the tier push"):
            rows = self.session.execute(query).all()
        for batch, group in groupby(rows, key=itemgetter(0)):
            digest, count, first = hashlib.sha256(), 0, None
            for _, uscc, tier, effective, line in group:
                digest.update(f"{uscc},{tier},{_day(effective)}\n".encode())
                count += 1
                first = line if first is None else min(first, line)
            out[batch] = (digest.hexdigest(), count, int(first or 0))
        return out

    def settle_batches(self) -> tuple[list[str], list[Problem]]:
        """Batches received before: the same content is dropped from the stage (applied once), other content
        is refused. New batches are recorded. Returns (batches already applied, problems)."""
        digests = self.digests()
        if not digests:
            return [], []
        with translated("reading tier batches"):
            query = text("SELECT batch, sha256 FROM tier_batches WHERE batch IN :names").bindparams(
                _expanding("names")
            )
            known: dict[str, str] = {
                batch: sha for batch, sha in self.session.execute(query, {"names": sorted(digests)})
            }
        again = sorted(b for b, d in digests.items() if known.get(b) == d[0])
        refused = [
            Problem(
                digests[b][2],
                "batch",
                f"batch {b} was already received with other content; use a new batch id",
            )
            for b in sorted(digests)
            if b in known and known[b] != digests[b][0]
        ]
        if refused:
            return again, refused
        self.applied_before = again
        with translated("recording tier batches"):
            for name in again:
                self.session.execute(text(f"DELETE FROM {STAGE} WHERE batch = :b"), {"b": name})
            new = [(b, d[0], d[1], utcnow()) for b, d in sorted(digests.items()) if b not in known]
            if new:
                self.session.flush()
                write_rows(self.session, "tier_batches", ("batch", "sha256", "rows", "received"), new)
        return again, []

    def apply(self) -> int:
        """Append the staged rows not stored yet (``store.tier_append``: COPY of the kept rows on PostgreSQL)."""
        if self.postgres and not batches_stored(self.session, STAGE):
            kept, self.kept = self.kept, []
            return copy_rows(self.session, kept, skip=self.applied_before)
        return insert_new(self.session, STAGE)

    def drop(self) -> None:
        if not is_postgres(self.session):
            with translated("dropping the tier stage"):
                self.session.execute(text(f"DROP TABLE IF EXISTS {STAGE}"))


def _expanding(name: str) -> Any:
    return bindparam(name, expanding=True)


def _day(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
