"""Pydantic shapes of what the queries return to the API and the pages, separate from the ORM rows.

Public and credit shapes list only publishable fields: nothing here can carry a drawn target, an assignment or
a seed before publication, because the queries that fill them only read what ``queries.gate`` lets through.
Families: ``XPublic`` (one), ``XsPublic`` (``data`` + ``count``); inputs (``XCreate``) are the API's own.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AssignmentPublic",
    "AssignmentsPublic",
    "DirectoryCounts",
    "EnterprisePublic",
    "EnterprisesPublic",
    "FeedEntryPublic",
    "FeedPublic",
    "FirmPublic",
    "PlanPublic",
    "PlansPublic",
    "QuarterStats",
    "ResultPublic",
    "ResultsPublic",
    "Share",
    "TeammatePublic",
    "VisitPublic",
    "VisitsPublic",
    "WorkloadPublic",
    "WorkloadsPublic",
    "filled",
]

Shape = TypeVar("Shape", bound=BaseModel)


def filled(shape: type[Shape], *sources: object, **given: Any) -> Shape:
    """``shape`` with each field as ``given``, else read by its name from the first of ``sources`` (rows,
    records) that has it, else its default: the one mapping of stored rows onto what a query returns."""
    values = dict(given)
    for name in shape.model_fields.keys() - given.keys():
        source = next((s for s in sources if hasattr(s, name)), None)
        if source is not None:
            values[name] = getattr(source, name)
    return shape.model_validate(values)


class EnterprisePublic(BaseModel):
    """Registry facts that are public anyway (the national credit publicity system shows them)."""

    model_config = ConfigDict(from_attributes=True)  # read straight from an enterprise row

    uscc: str
    name: str
    kind: str
    district: str
    industry: str
    status: str


class EnterprisesPublic(BaseModel):
    data: list[EnterprisePublic]
    count: int


class Share(BaseModel):
    exact: str  # a fraction string, e.g. "3/40"
    percent: str  # for display, two decimals


class QuarterStats(BaseModel):
    visits: int
    joint_visits: int
    joint_share: Share
    deferred: int = 0  # drawn but deferred at the inspector draw: not in visits nor in the joint share
    enterprises_visited: int
    directory_enterprises: int
    coverage: Share  # this quarter's unique enterprises / the directory
    year_coverage: Share | None = None  # the year so far, this quarter included (target: 5 %)
    year_joint_share: Share | None = None  # the year so far (target: 10 %)


class PlanPublic(BaseModel):
    """A plan as the public sees it: the plan and item list from the freeze on; the rest once published."""

    id: int
    year: int
    quarter: int
    state: str
    published: bool
    snapshot_digest: str | None = None
    commitments: dict[str, str] = Field(default_factory=dict)  # department -> commitment hash
    beacon: str | None = None  # the public value entered at draw time, and where it was published
    beacon_source: str | None = None
    # ceremony v2 (docs/ceremony.md): plan digest, system commitment, the beacon named at the freeze, who
    # handed in, who entered the beacon and when; never a secret
    ceremony: dict[str, Any] | None = None
    plan: dict[str, Any] = Field(default_factory=dict)
    stats: QuarterStats | None = None  # only when published (regulators: from the draw on)
    seed: str | None = None  # only when published
    audit_head: str | None = None  # only when published
    tree_root: str | None = None  # the publication's Merkle root (docs/publication.md), when published
    tree_size: int | None = None


class PlansPublic(BaseModel):
    data: list[PlanPublic]
    count: int


class VisitPublic(BaseModel):
    id: str
    uscc: str
    name: str
    district: str
    lead: str
    departments: list[str]
    items: list[str]
    joint: bool
    deferred: bool = False  # drawn, but no lawful team at the inspector draw: not carried out this quarter
    officers: list[str] = Field(default_factory=list)  # regulators only; empty in public answers


class VisitsPublic(BaseModel):
    data: list[VisitPublic]
    count: int


class ResultPublic(BaseModel):
    id: int | None = None  # GET /api/public/results/{id}/proof proves it against the plan's Merkle root
    version: int | None = None
    visit_id: str
    year: int
    quarter: int
    uscc: str
    name: str
    department: str
    district: str = ""
    category_code: str = ""
    category: str  # Chinese label, as provincial systems show it
    category_en: str
    findings: str


class ResultsPublic(BaseModel):
    data: list[ResultPublic]
    count: int


class FirmPublic(BaseModel):
    uscc: str
    name: str
    district: str
    address: str


class TeammatePublic(BaseModel):
    officer: str
    name: str
    department: str
    leader: bool


class AssignmentPublic(BaseModel):
    """One visit as the assigned officer sees it."""

    visit_id: str
    plan_id: int
    year: int
    quarter: int
    firm: FirmPublic
    department: str  # the officer's own department
    items: list[str]  # the officer's department's items on this visit
    all_items: list[str]
    joint: bool
    leader: bool
    teammates: list[TeammatePublic]
    window_start: date | None
    deadline: date | None
    result_state: str  # of the officer's department's result


class AssignmentsPublic(BaseModel):
    data: list[AssignmentPublic]
    count: int


class DirectoryCounts(BaseModel):
    departments: int
    districts: int
    items: int
    enterprises: int
    tiers: int
    inspectors: int
    experts: int
    conflicts: int


class WorkloadPublic(BaseModel):
    officer: str
    name: str
    department: str
    district: str
    visits: int
    capacity: int


class WorkloadsPublic(BaseModel):
    data: list[WorkloadPublic]
    count: int


class FeedEntryPublic(BaseModel):
    cursor: int
    uscc: str
    result: dict[str, Any]


class FeedPublic(BaseModel):
    data: list[FeedEntryPublic]
    count: int
    next_cursor: int
