"""What the API accepts from its callers (``XCreate``) and answers for a step, separate from the ORM rows and
from the read shapes of ``spotcheck.queries.shapes``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from spotcheck.edge import NO_NUL

__all__ = ["ErrorPublic", "PlanCreate", "ProblemPublic", "ResultCreate", "ResultRecorded", "StepDone"]


class PlanCreate(BaseModel):
    """The quarter's plan, exactly as plan.json (docs/formats.md); ratios are decimal strings."""

    plan: dict[str, Any]


class ResultCreate(BaseModel):
    category: str = Field(
        min_length=1, max_length=100, pattern=NO_NUL, description="result category code or Chinese label"
    )
    findings: str = Field(default="", max_length=20_000, pattern=NO_NUL)
    department: str | None = Field(
        default=None, max_length=32, pattern=NO_NUL, description="must be the officer's own"
    )


class ResultRecorded(BaseModel):
    visit_id: str
    department: str
    version: int
    state: str


class StepDone(BaseModel):
    plan_id: int
    step: str
    state: str
    message: str = ""


class ProblemPublic(BaseModel):
    line: int | None = Field(description="line of the sent file (the header is line 1), if it has lines")
    field: str | None = Field(description="the column, key or parameter (e.g. body.findings, query.today)")
    reason: str


class ErrorPublic(BaseModel):
    """The one body of every error answer (docs/api.md "Errors"): a fixed ``detail``, and where it helps a
    ``message`` for the user, the ``problems`` of bad input (the first 1,000) and their ``problem_count``."""

    detail: str = Field(description="fixed text per kind of error")
    message: str | None = None
    problems: list[ProblemPublic] | None = None
    problem_count: int | None = Field(default=None, description="all problems found, listed or not")
    binding: str | None = Field(default=None, description="for an infeasible plan: the input that blocks it")
    shortfall: str | None = None
