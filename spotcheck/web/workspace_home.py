"""The regulator's workspace home (``/regulator``: every quarter with its state and the step it waits for) and
the progress page of a long step (``/regulator/jobs/{id}``, ``web.jobs``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.errors import LISTED_PROBLEMS, ValidationError
from spotcheck.queries import directory, plans
from spotcheck.web import jobs
from spotcheck.web.workspace import SIGN_IN, DeskDep, page, refusal

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
SIGN_IN.add_routes(router)  # /regulator/login, /regulator/logout: the account session

JobId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/regulator", response_class=HTMLResponse)
def home(desk: DeskDep) -> Response:
    uow = desk.uow
    context = {
        "me": desk.me,
        "plans": plans.regulator_plans(uow),
        "counts": directory.directory_counts(uow),
    }
    return page(desk.request, "workspace/home.html", context)


@router.get("/regulator/jobs/{job_id}", response_class=HTMLResponse)
def job_page(desk: DeskDep, job_id: JobId) -> Response:
    request, me = desk.request, desk.me
    job = jobs.find(job_id, me.actor)
    if job is None:
        return page(
            request,
            "workspace/refused.html",
            {"me": me, "error": "没有这项任务 / no such job"},
            status_code=404,
        )
    refused = "" if job.error is None else refusal(job.error)[1]
    problems = job.error.problems if isinstance(job.error, ValidationError) else []
    context = {"me": me, "job": job, "refused": refused, "problems": problems[:LISTED_PROBLEMS]}
    return page(request, "workspace/job.html", context)
