"""/api/credit: the credit system's machine client. It pushes tier batches in bulk and reads the published
results feed with a cursor; it can read nothing else.

A push is CSV (tiers.csv columns, docs/formats.md) or JSON lines (``Content-Type: application/x-ndjson``; one
object per line with the keys uscc, tier, effective, batch). The body is streamed to a temporary file a chunk
at a time, never held in memory whole, then checked and appended chunk by chunk in one transaction by
the use case ``services.tiers.append_tier_file`` (a single bad row appends nothing, every bad row is reported with its line).
Tier records are history: appended, never updated.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from spotcheck.api.deps import require
from spotcheck.domain.access import Permission, Principal
from spotcheck.domain.errors import Problem, ValidationError
from spotcheck.edge import Cursor, UowDep
from spotcheck.queries.feed import feed_after
from spotcheck.queries.shapes import FeedPublic
from spotcheck.services.tiers import TierBatchReport, append_tier_file

__all__ = ["MAX_PUSH_BYTES", "router"]

router = APIRouter(prefix="/api/credit", tags=["credit 信用系统"])

MAX_PUSH_BYTES = 2 * 1024**3  # 2 GiB: some 40 million tier lines
TIER_KEYS = ("uscc", "tier", "effective", "batch")
JSONL_TYPES = frozenset({"application/x-ndjson", "application/jsonl", "application/json"})


def _too_big() -> ValidationError:
    return ValidationError(f"push larger than {MAX_PUSH_BYTES} bytes: split it into several pushes")


async def _spool_csv(request: Request, target: Path) -> int:
    size = 0
    with target.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_PUSH_BYTES:
                raise _too_big()
            out.write(chunk)
    return size


async def _spool_jsonl(request: Request, target: Path) -> int:
    """Convert JSON lines to tiers.csv rows as they arrive (line numbers: JSON line n is CSV line n + 1)."""
    size, line, pending = 0, 0, b""
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(TIER_KEYS)
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_PUSH_BYTES:
                raise _too_big()
            *lines, pending = (pending + chunk).split(b"\n")
            for raw in lines:
                line += 1
                _jsonl_row(writer, raw, line)
        if pending.strip():
            _jsonl_row(writer, pending, line + 1)
    return size


def _jsonl_row(writer: Any, raw: bytes, line: int) -> None:
    if not raw.strip():
        return
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError("push refused", [Problem(line, None, "not valid JSON")]) from exc
    if not isinstance(data, dict) or set(data) - set(TIER_KEYS):
        keys = ", ".join(TIER_KEYS)
        raise ValidationError("push refused", [Problem(line, None, f"expected an object with keys {keys}")])
    writer.writerow(["" if data.get(k) is None else str(data[k]) for k in TIER_KEYS])


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
    with tempfile.TemporaryDirectory(prefix="spotcheck-tiers-") as folder:
        target = Path(folder) / "tiers.csv"
        size = await (_spool_jsonl if media in JSONL_TYPES else _spool_csv)(request, target)
        if size == 0:
            raise ValidationError("empty push: send tiers.csv rows or JSON lines")
        # Validating and writing millions of rows is blocking work: off the event loop, so other requests go on.
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
