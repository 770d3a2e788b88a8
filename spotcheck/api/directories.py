"""/api/regulator/directories/{kind}: upload one directory file (CSV or XLSX, multipart field ``file``),
streamed and size-limited (``api.limits``), imported whole or not at all: a bad file answers 422 with every bad
row (line, column, reason; the first 1,000 listed, all counted) and stores nothing (docs/formats.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from spotcheck.api.deps import require
from spotcheck.domain.access import Permission, Principal
from spotcheck.edge import UowFactoryDep
from spotcheck.edge_upload import uploaded
from spotcheck.store.importer import import_file

__all__ = ["router"]

router = APIRouter(prefix="/api/regulator", tags=["regulator 监管部门"])

Kind = Annotated[
    str,
    Path(
        pattern=r"^(departments|districts|items|enterprises|tiers|inspectors|experts|conflicts)$",
        description="the directory (docs/formats.md)",
    ),
]


class ImportPublic(BaseModel):
    kind: str
    rows: int
    added: int
    updated: int
    unchanged: int
    normalised: int  # credit codes written differently and normalised


@router.post(
    "/directories/{kind}",
    response_model=ImportPublic,
    summary="Upload a directory file (multipart `file`, .csv or .xlsx): all rows or none",
)
async def upload_directory(
    request: Request,
    factory: UowFactoryDep,
    kind: Kind,
    me: Annotated[Principal, require(Permission.PLAN_WRITE)],
) -> ImportPublic:
    async with uploaded(request, kind) as path:
        report = await run_in_threadpool(lambda: import_file(factory(), kind, path, actor=me.actor))
    return ImportPublic.model_validate({**vars(report), "normalised": len(report.normalised)})
