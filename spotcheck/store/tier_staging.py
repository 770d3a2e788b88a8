"""A tier push staged in a temporary table, checked there with SQL, then applied in one statement (docs/formats.md
"Tier pushes").

    stage = TierStage(session)          # CREATE TEMP TABLE tier_stage (dropped at commit or rollback)
    stage.add(rows)                     # (line, uscc, tier, effective, batch) tuples: COPY / executemany
    problems, count = stage.problems(limit=100)   # duplicates in the push, unknown firms, tiers stored otherwise
    skipped, refused = stage.settle_batches()      # batches received before: same content skipped, other refused
    appended = stage.apply()            # INSERT ... SELECT the rows not stored yet

Cells (codes, tier letters, dates) are checked by the reader before they are staged; what needs the database
(firms, stored history, earlier batches) is checked here, over the whole push at once. A batch's content digest
is SHA-256 over its rows as ``uscc,tier,effective`` lines sorted by (uscc, effective).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from spotcheck.domain.errors import Problem
from spotcheck.store.base import utcnow
from spotcheck.store.bulk import is_postgres, sqlite_value, write_rows
from spotcheck.store.bulk_indexes import deferred_indexes
from spotcheck.store.errors import translated

__all__ = ["STAGE", "TierStage"]

STAGE = "tier_stage"
COLUMNS = ("line", "uscc", "tier", "effective", "batch")

_DUPLICATES = f"""
SELECT line, uscc, effective, batch, first FROM (
  SELECT line, uscc, effective, batch, MIN(line) OVER (PARTITION BY uscc, effective, batch) AS first
  FROM {STAGE}) AS s
WHERE line > first"""
_UNKNOWN = f"""
SELECT line, uscc FROM {STAGE} AS s
WHERE NOT EXISTS (SELECT 1 FROM enterprises AS e WHERE e.uscc = s.uscc)"""
_STORED_OTHERWISE = f"""
SELECT s.line, t.tier FROM {STAGE} AS s
JOIN tier_records AS t ON t.uscc = s.uscc AND t.effective = s.effective AND t.batch = s.batch
WHERE t.tier <> s.tier"""

# What ``problems`` checks, in order: the query, the column a problem names, and its text for a row found.
_CHECKS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    (
        _DUPLICATES,
        "uscc",
        lambda r: f"duplicate {r.uscc}, {_day(r.effective)}, {r.batch} (first on line {r.first})",
    ),
    (_UNKNOWN, "uscc", lambda r: f"unknown firm {r.uscc!r}"),
    (
        _STORED_OTHERWISE,
        "tier",
        lambda r: f"already stored as tier {r.tier} for this date and batch; tiers are append-only",
    ),
)


class TierStage:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = is_postgres(session)
        # PostgreSQL drops the table with the transaction; SQLite keeps temp tables per connection (drop()).
        tail = " ON COMMIT DROP" if self.postgres else ""
        with translated("staging the tier push"):
            if not self.postgres:
                self.session.execute(text(f"DROP TABLE IF EXISTS {STAGE}"))
            self.session.execute(
                text(
                    f"CREATE TEMPORARY TABLE {STAGE} (line INTEGER NOT NULL, uscc VARCHAR(18) NOT NULL, "
                    "tier VARCHAR(1) NOT NULL, effective DATE NOT NULL, batch VARCHAR(64) NOT NULL)"
                    f"{tail}"
                )
            )

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        write_rows(self.session, STAGE, COLUMNS, rows)

    def _query(self, sql: str, limit: int) -> tuple[list[Any], int]:
        count = self.session.execute(text(f"SELECT COUNT(*) FROM ({sql}) AS q")).scalar_one()
        rows = list(self.session.execute(text(f"{sql} ORDER BY 1 LIMIT {int(limit)}")))
        return rows, int(count)

    def problems(self, *, limit: int) -> tuple[list[Problem], int]:
        """The first ``limit`` problems of each kind (the caller sorts and trims) and how many there are."""
        with translated("checking the tier push"):
            self.session.execute(
                text(f"CREATE INDEX IF NOT EXISTS {STAGE}_key ON {STAGE} (uscc, effective, batch)")
            )
            found: list[Problem] = []
            total = 0
            for sql, column, message in _CHECKS:
                rows, count = self._query(sql, limit)
                total += count
                found += [Problem(r.line, column, message(r)) for r in rows]
        return found, total

    def digests(self) -> dict[str, tuple[str, int, int]]:
        """batch -> (SHA-256 of its content, rows, first line), read back from the stage in order."""
        out: dict[str, tuple[str, int, int]] = {}
        c = ' COLLATE "C"' if self.postgres else ""  # byte order whatever the database's collation
        query = text(
            f"SELECT batch, uscc, tier, effective, line FROM {STAGE} ORDER BY batch{c}, uscc{c}, effective"
        )
        current: str | None = None
        digest = hashlib.sha256()
        rows = first = 0
        with translated("reading the tier push"):
            for batch, uscc, tier, effective, line in self.session.execute(query):
                if batch != current:
                    if current is not None:
                        out[current] = (digest.hexdigest(), rows, first)
                    current, digest, rows, first = batch, hashlib.sha256(), 0, line
                digest.update(f"{uscc},{tier},{_day(effective)}\n".encode())
                rows += 1
                first = min(first, line)
        if current is not None:
            out[current] = (digest.hexdigest(), rows, first)
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
        with translated("recording tier batches"):
            for name in again:
                self.session.execute(text(f"DELETE FROM {STAGE} WHERE batch = :b"), {"b": name})
            new = [(b, d[0], d[1], utcnow()) for b, d in sorted(digests.items()) if b not in known]
            if new:
                self.session.flush()
                write_rows(self.session, "tier_batches", ("batch", "sha256", "rows", "received"), new)
        return again, []

    def apply(self) -> int:
        """Append the staged rows not stored yet (same key and tier already stored: left alone)."""
        with translated("appending tier records"):
            staged = int(self.session.execute(text(f"SELECT count(*) FROM {STAGE}")).scalar_one())
        with (
            translated("appending tier records"),
            deferred_indexes(self.session, "tier_records", rows=staged),
        ):
            result = self.session.execute(
                text(
                    f"INSERT INTO tier_records (uscc, tier, effective, batch, received) "
                    f"SELECT s.uscc, s.tier, s.effective, s.batch, :received FROM {STAGE} AS s "
                    "WHERE NOT EXISTS (SELECT 1 FROM tier_records AS t "
                    "WHERE t.uscc = s.uscc AND t.effective = s.effective AND t.batch = s.batch)"
                ),
                {"received": utcnow() if self.postgres else sqlite_value(utcnow())},
            )
        return int(getattr(result, "rowcount", 0) or 0)

    def drop(self) -> None:
        if not is_postgres(self.session):
            with translated("dropping the tier stage"):
                self.session.execute(text(f"DROP TABLE IF EXISTS {STAGE}"))


def _expanding(name: str) -> Any:
    return bindparam(name, expanding=True)


def _day(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
