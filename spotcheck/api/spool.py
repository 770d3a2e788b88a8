"""A tier push streamed to a temporary folder as it arrives, never held in memory whole (docs/api.md "Limits").

The folder is removed whatever happens: a bad push, a client that goes away mid-push, a failure in the use
case. The route's size limit is enforced while streaming by ``api.limits.BodyLimit``.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

from spotcheck.api.push_cells import MAX_LINE, TIER_KEYS, Problems, jsonl_key_at, jsonl_row

__all__ = ["FOLDER_PREFIX", "push_folder", "spool_jsonl", "spool_raw"]

FOLDER_PREFIX = "spotcheck-tiers-"


@contextmanager
def push_folder() -> Iterator[Path]:
    """A fresh temporary folder, removed on the way out (also on an error or a cancelled request)."""
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def spool_raw(chunks: AsyncIterator[bytes], target: Path) -> None:
    """Write the body to ``target`` as it arrives (a CSV push is checked afterwards, from the file)."""
    with target.open("wb") as out:
        async for chunk in chunks:
            out.write(chunk)


async def spool_jsonl(chunks: AsyncIterator[bytes], target: Path, problems: Problems) -> int:
    """Convert JSON lines to tiers.csv rows as they arrive, checking each; returns the rows received.

    Line numbers are the pushed file's; a line longer than ``MAX_LINE`` bytes is named and skipped, not read.
    """
    rows, line, pending, skipping = 0, 0, b"", False
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(TIER_KEYS)
        async for chunk in chunks:
            *complete, pending = (pending + chunk).split(b"\n")
            for raw in complete:
                line += 1
                if skipping:  # the end of an over-long line
                    skipping = False
                    continue
                rows += jsonl_row(writer, raw, line, problems)
            if len(pending) > MAX_LINE:
                if not skipping:
                    problems.add(line + 1, jsonl_key_at(pending), f"line longer than {MAX_LINE} bytes")
                    rows += 1
                pending, skipping = b"", True
        if pending.strip() and not skipping:
            rows += jsonl_row(writer, pending, line + 1, problems)
    return rows
