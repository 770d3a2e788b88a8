"""A directory file uploaded over HTTP (API and pages alike): the multipart body is streamed by Starlette to a
spooled temporary file, copied into a fresh temporary folder under its kind's file name, imported there by the
use case (``store.importer.import_file``: every row checked, nothing stored on error), and the folder removed
whatever happens. The size is bounded before reading by ``api.limits`` (docs/api.md "Limits").

    async with uploaded(request, kind) as path:  ...  # path: <tmp>/enterprises.csv (or .xlsx)
    path = await receive(request, kind, before=check); ...; discard(path)   # a background job imports it

``before`` sees the form's other fields (a page's CSRF token) once the body is read, before anything is copied.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Request
from starlette.datastructures import UploadFile

from spotcheck.domain.errors import ValidationError
from spotcheck.ingest.columns import FILE_NAMES

__all__ = ["FIELD", "SUFFIXES", "UPLOAD_PREFIX", "discard", "receive", "uploaded"]

FIELD = "file"  # the multipart field that carries the file
SUFFIXES = (".csv", ".xlsx")
UPLOAD_PREFIX = "spotcheck-upload-"
COPY_CHUNK = 1024 * 1024


def _kind(kind: str) -> str:
    if kind not in FILE_NAMES:
        raise ValidationError(f"unknown directory {kind!r}; expected one of {', '.join(FILE_NAMES)}")
    return kind


async def receive(
    request: Request, kind: str, *, before: Callable[[Mapping[str, str]], None] | None = None
) -> Path:
    """Copy the uploaded file of directory ``kind`` into a fresh temporary folder; the caller ``discard``s it
    (a background import does so when it ends). ``before`` is given the form's text fields first and may
    refuse by raising."""
    stem = Path(FILE_NAMES[_kind(kind)]).stem
    async with request.form(max_files=1, max_fields=4) as form:
        if before is not None:
            before({str(k): v for k, v in form.items() if isinstance(v, str)})
        upload = form.get(FIELD)
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationError(f"send the file as multipart form field {FIELD!r} (.csv or .xlsx)")
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in SUFFIXES:
            raise ValidationError(f"{upload.filename}: use a .csv or .xlsx file")
        folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
        target = folder / f"{stem}{suffix}"
        try:
            with target.open("wb") as out:
                while chunk := await upload.read(COPY_CHUNK):
                    out.write(chunk)
        except BaseException:
            discard(target)
            raise
        return target


def discard(path: Path) -> None:
    """Remove the temporary folder of an uploaded file."""
    if path.parent.name.startswith(UPLOAD_PREFIX):
        shutil.rmtree(path.parent, ignore_errors=True)


@asynccontextmanager
async def uploaded(request: Request, kind: str) -> AsyncIterator[Path]:
    """The uploaded file of directory ``kind`` in a temporary folder, removed on the way out."""
    path = await receive(request, kind)
    try:
        yield path
    finally:
        discard(path)
