"""The credit feed: published results in publication order, read by the credit system with a cursor
(docs/operations.md, "Credit feed").

Each published result is one feed entry whose id only grows. The client asks for entries after the last id it
has processed; an entry is written in the same transaction as its publication, so none is seen half-published,
and a retry with the same cursor returns the same entries: nothing is lost, nothing delivered twice. On
PostgreSQL, writers take an exclusive lock on the feed so that ids become visible in order (a reader never sees
id 11 commit before id 10 and skips 10).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text

from spotcheck.domain.errors import ValidationError
from spotcheck.evidence.canonical import canonical_json
from spotcheck.store.ledger import FeedRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["FeedPage", "append_results", "read_feed"]

MAX_PAGE = 1000


@dataclass(frozen=True)
class FeedPage:
    entries: list[dict[str, Any]]  # each: {"cursor": id, **payload}
    next_cursor: int  # pass it back as ``after``; unchanged when the page is empty


def append_results(uow: UnitOfWork, results: Sequence[tuple[int, str, dict[str, Any]]]) -> None:
    """Append (result id, uscc, payload) entries inside the caller's transaction, in the given order."""
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(text("LOCK TABLE feed_entries IN EXCLUSIVE MODE"))
    rows = [
        {"result_id": r, "uscc": uscc, "payload": canonical_json(payload)} for r, uscc, payload in results
    ]
    if not rows:
        return
    query = insert(FeedRow).returning(FeedRow.id, sort_by_parameter_order=True)
    ids = list(uow.session.execute(query, rows).scalars())
    if ids != sorted(ids):  # the rows are inserted in the given order, so their ids grow with it
        raise RuntimeError("feed entries were not numbered in publication order")


def read_feed(uow: UnitOfWork, *, after: int = 0, limit: int = 100) -> FeedPage:
    """Entries with id > ``after``, oldest first, at most ``limit`` (1–1000)."""
    if after < 0 or not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"cursor must be ≥ 0 and limit 1–{MAX_PAGE}")
    with uow:
        query = select(FeedRow).where(FeedRow.id > after).order_by(FeedRow.id).limit(limit)
        rows = list(uow.session.execute(query).scalars())
        entries = [{"cursor": r.id, **json.loads(r.payload)} for r in rows]
        return FeedPage(entries, rows[-1].id if rows else after)
