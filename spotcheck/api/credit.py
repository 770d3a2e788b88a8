"""/api/credit: the credit system's machine client. It pushes tier batches in bulk and reads the published
results feed with a cursor; it can read nothing else.

A push is CSV (tiers.csv columns, docs/formats.md) or JSON lines (``Content-Type: application/x-ndjson``; one
object per line with the keys uscc, tier, effective, batch). The token is checked first; then the body is
streamed to a temporary folder (``api.spool``, removed whatever happens), its cells bounded (``api.push_cells``),
and checked and appended chunk by chunk in one transaction by the use case ``services.tiers.append_tier_file``
(a single bad row appends nothing, every bad row is counted, the first 1,000 listed with line and column).
Tier records are history: appended, never updated.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from spotcheck.api.deps import require
from spotcheck.api.push_cells import Problems, check_csv
from spotcheck.api.spool import push_folder, spool_jsonl, spool_raw
from spotcheck.domain.access import Permission, Principal
from spotcheck.domain.errors import ValidationError
from spotcheck.edge import Cursor, UowDep
from spotcheck.queries.feed import feed_after
from spotcheck.queries.shapes import FeedPublic
from spotcheck.services.tiers import TierBatchReport, append_tier_file

__all__ = ["router"]

router = APIRouter(prefix="/api/credit", tags=["credit 信用系统"])

JSONL_TYPES = frozenset({"application/x-ndjson", "application/jsonl", "application/json"})


@router.post(
    "/tiers",
    response_model=TierBatchReport,
    summary="Push tier records in bulk (CSV or JSON lines); appended as tier history",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def push_tiers(
    request: Request, uow: UowDep, client: Annotated[Principal, require(Permission.TIERS_PUSH)]
) -> TierBatchReport:
    media = request.headers.get("content-type", "text/csv").split(";")[0].strip().lower()
    problems = Problems()
    with push_folder() as folder:
        target = folder / "tiers.csv"
        if media in JSONL_TYPES:
            rows = await spool_jsonl(request.stream(), target, problems)
        else:
            await spool_raw(request.stream(), target)
            rows = await run_in_threadpool(check_csv, target, problems)
        problems.raise_if_any()
        if rows == 0:
            raise ValidationError("no rows: send tiers.csv rows after the header, or JSON lines")
        # Validating and writing millions of rows is blocking work: off the event loop, so other requests go on.
        # The folder outlives the work: a cancelled request waits for the thread before the folder goes.
        return await run_in_threadpool(lambda: append_tier_file(uow, target, actor=client.actor))


@router.get("/feed", response_model=FeedPublic, summary="Published results after a cursor, oldest first")
def feed(
    uow: UowDep,
    client: Annotated[Principal, require(Permission.FEED_READ)],
    after: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> FeedPublic:
    # Re-reading from the same cursor gives the same entries: a client that crashed simply asks again.
    return feed_after(uow, after, limit=limit)
