"""File uploads as both HTTP edges read them (the API's attachment route and the inspector's result form).

The request body is bounded before it is read (``api.limits`` ROUTE_LIMITS); the multipart parser streams each
file to a spooled temporary file, and here each is read back at most one byte past the per-file limit, so an
oversized file is refused without holding more than that in memory (docs/api.md "Limits").
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import UploadFile

from spotcheck.domain.attachments import MAX_BYTES, MAX_FILES, TOO_MANY, Checked, check_file
from spotcheck.domain.errors import ValidationError

__all__ = ["read_checked"]


async def read_checked(files: Sequence[UploadFile]) -> list[Checked]:
    """The uploaded files, each checked by type and size; empty file inputs (no file chosen) are skipped."""
    chosen = [f for f in files if f.filename or (f.size or 0) > 0]
    if len(chosen) > MAX_FILES:
        raise ValidationError(TOO_MANY)
    checked: list[Checked] = []
    for upload in chosen:
        content = await upload.read(MAX_BYTES + 1)
        checked.append(check_file(upload.filename or "attachment", content))
        await upload.close()
    return checked
