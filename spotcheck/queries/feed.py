"""The credit feed read with a cursor: published results in the order they were published
(docs/api.md "Credit system"). Re-reading from the same cursor gives the same entries."""

from __future__ import annotations

import json

from sqlalchemy import select

from spotcheck.queries.shapes import FeedEntryPublic, FeedPublic
from spotcheck.store.tables import FeedRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["feed_after"]


def feed_after(uow: UnitOfWork, after: int, *, limit: int) -> FeedPublic:
    """Up to ``limit`` entries after cursor ``after``, oldest first, and the cursor to ask from next."""
    rows = (
        uow.session.execute(select(FeedRow).where(FeedRow.id > after).order_by(FeedRow.id).limit(limit))
        .scalars()
        .all()
    )
    data = [FeedEntryPublic(cursor=r.id, uscc=r.uscc, result=json.loads(r.payload)) for r in rows]
    return FeedPublic(data=data, count=len(data), next_cursor=data[-1].cursor if data else after)
