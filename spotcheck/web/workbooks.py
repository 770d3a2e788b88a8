"""Excel workbooks for the regulator (the lead: any department or all; a department: its own), written by openpyxl in write-only mode (rows streamed, never a whole sheet
in memory): a quarter's visits, teams and results, per department or all; and the bad rows of a refused upload.

    GET /regulator/plans/{id}/export.xlsx[?department=XF]
    GET /regulator/jobs/{id}/problems.xlsx
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from openpyxl import Workbook

from spotcheck.domain.access import Permission, Scope, check
from spotcheck.domain.errors import SpotcheckError, ValidationError
from spotcheck.edge import NO_NUL, PlanId
from spotcheck.queries.quarter_sheets import Sheet, quarter_sheets
from spotcheck.web import jobs
from spotcheck.web.workspace import DeskDep, page, refusal

__all__ = ["router", "workbook_bytes"]

router = APIRouter(include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The sheets as one .xlsx file (write-only workbook, spooled through a temporary file)."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        ws.append(list(sheet.header))
        for row in sheet.rows:
            ws.append(list(row))
    with tempfile.TemporaryFile() as out:
        book.save(out)
        out.seek(0)
        return out.read()


def _download(data: bytes, filename: str) -> Response:
    return Response(
        data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/regulator/plans/{plan_id}/export.xlsx")
def quarter_workbook(
    desk: DeskDep, plan_id: PlanId, department: Annotated[str, Query(max_length=32, pattern=NO_NUL)] = ""
) -> Response:
    request, uow, me = desk.request, desk.uow, desk.me
    try:
        if not me.lead:  # a department exports its own department's part only
            check(me.principal, Permission.PLAN_READ, Scope(department=department or me.department))
            department = me.department
        row = uow.plans.get(plan_id)
        sheets = quarter_sheets(uow, plan_id, department=department or None)
        data = workbook_bytes(sheets)
    except SpotcheckError as exc:
        code, message = refusal(exc)
        return page(request, "workspace/refused.html", {"me": me, "error": message}, status_code=code)
    return _download(data, f"{row.year}Q{row.quarter}-{department or 'all'}.xlsx")


@router.get("/regulator/jobs/{job_id}/problems.xlsx")
def problems_workbook(
    desk: DeskDep, job_id: Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
) -> Response:
    request, me = desk.request, desk.me
    job = jobs.find(job_id, me.actor)
    if job is None or not isinstance(job.error, ValidationError):
        return page(
            request,
            "workspace/refused.html",
            {"me": me, "error": "没有错误行 / no bad rows"},
            status_code=404,
        )
    rows = ((p.line, p.field or "", p.reason) for p in job.error.problems)
    sheet = Sheet("错误行 bad rows", ("行 line", "列 column", "原因 reason"), rows)
    return _download(workbook_bytes([sheet]), f"bad-rows-{job.id}.xlsx")
