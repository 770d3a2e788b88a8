"""What the API accepts from its callers (``XCreate``) and answers for a step, separate from the ORM rows and
from the read shapes of ``spotcheck.queries.shapes``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = ["PlanCreate", "ResultCreate", "ResultRecorded", "StepDone"]


class PlanCreate(BaseModel):
    """The quarter's plan, exactly as plan.json (docs/formats.md); ratios are decimal strings."""

    plan: dict[str, Any]


class ResultCreate(BaseModel):
    category: str = Field(min_length=1, max_length=100, description="result category code or Chinese label")
    findings: str = Field(default="", max_length=20_000)
    department: str | None = Field(default=None, max_length=32, description="must be the officer's own")


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
