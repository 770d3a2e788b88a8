"""The list and the two directories (一单两库) in the regulator's browser (docs/formats.md).

GET  /regulator/directories               how many rows each holds, an upload form for each
POST /regulator/directories/{kind}        upload a .csv or .xlsx: imported as a job with progress; every bad
                                          row in a table (line, column, reason), nothing stored on error
GET  /regulator/directories/{kind}        browse and search, a page at a time
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.access import Permission, check
from spotcheck.domain.errors import SpotcheckError
from spotcheck.domain.labels import DIRECTORY_NAMES
from spotcheck.edge import NO_NUL
from spotcheck.edge_auth import CSRF_FIELD
from spotcheck.edge_upload import discard, receive
from spotcheck.ingest.columns import FILE_NAMES
from spotcheck.queries import directory
from spotcheck.queries.directory_browse import browse, columns
from spotcheck.store.importer import import_file
from spotcheck.web import jobs
from spotcheck.web.workspace import DeskDep, guard, page, refusal, see_other

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Kind = Annotated[str, Path(pattern=r"^(" + "|".join(FILE_NAMES) + r")$")]
PAGE = 50


@router.get("/regulator/directories", response_class=HTMLResponse)
def overview(desk: DeskDep) -> Response:
    counts = directory.directory_counts(desk.uow).model_dump()
    context = {"me": desk.me, "kinds": DIRECTORY_NAMES, "counts": counts, "files": FILE_NAMES}
    return page(desk.request, "workspace/directories.html", context)


@router.post("/regulator/directories/{kind}")
async def upload(desk: DeskDep, kind: Kind) -> Response:
    request, me, factory = desk.request, desk.me, desk.factory
    try:
        check(me.principal, Permission.PLAN_WRITE)
        path = await receive(
            request, kind, before=lambda fields: guard(request, me, fields.get(CSRF_FIELD, ""))
        )
    except SpotcheckError as exc:
        code, message = refusal(exc)
        return page(request, "workspace/refused.html", {"me": me, "error": message}, status_code=code)

    def work(progress: jobs.Progress) -> str:
        try:
            report = import_file(
                factory(), kind, path, actor=me.actor, progress=lambda label, n: progress(label, n, 0)
            )
        finally:
            discard(path)
        return f"{report.rows} 行：新增 {report.added}，更新 {report.updated}，未变 {report.unchanged} / added, updated, unchanged"

    job = jobs.start(
        me.actor, f"上传 {DIRECTORY_NAMES[kind][0]} / upload {kind}", f"/regulator/directories/{kind}", work
    )
    return see_other(f"/regulator/jobs/{job.id}")


@router.get("/regulator/directories/{kind}", response_class=HTMLResponse)
def rows(
    desk: DeskDep,
    kind: Kind,
    q: Annotated[str, Query(max_length=100, pattern=NO_NUL)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    found, count = browse(desk.uow, kind, q=q, limit=PAGE, offset=(page_no - 1) * PAGE)
    context = {
        "me": desk.me,
        "kind": kind,
        "title": DIRECTORY_NAMES[kind],
        "columns": columns(kind),
        "rows": found,
        "count": count,
        "q": q,
        "page": page_no,
        "pages": max(1, -(-count // PAGE)),
    }
    return page(desk.request, "workspace/directory.html", context)
