"""/api/public: a published result's inclusion proof against its plan's Merkle root, and the corrections made
after publication (docs/publication.md). No token: both are public, and only published data is served."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from spotcheck.api.public import PublishedPlanId
from spotcheck.edge import MAX_ID
from spotcheck.edge import PublicUowFactoryDep as UowFactoryDep
from spotcheck.services.corrections import history
from spotcheck.services.publication_tree import result_proof

__all__ = ["router"]

router = APIRouter(prefix="/api/public", tags=["public 公众"])

ResultId = Annotated[int, Path(ge=1, le=MAX_ID, description="published result id")]


class ProofPublic(BaseModel):
    """Check it with docs/publication.md "Checking a result": hash the leaf, climb the path, compare roots."""

    plan: int
    result: int
    leaf: str  # the result as published now, canonical JSON (the leaf's bytes in UTF-8)
    index: int
    size: int
    path: list[str]  # sibling hashes, hex, nearest first
    root: str  # the root in the audit entry ``audit_seq`` (the publication, or the latest correction)
    audit_seq: int


class CorrectionPublic(BaseModel):
    visit: str
    department: str
    result: int
    version: int
    replaces: int
    category: str
    reason: str
    by: str
    at: str
    audit_seq: int


class CorrectionsPublic(BaseModel):
    data: list[CorrectionPublic]
    count: int


@router.get(
    "/results/{result_id}/proof",
    response_model=ProofPublic,
    summary="A published result's inclusion proof against its plan's Merkle root",
)
def proof(factory: UowFactoryDep, result_id: ResultId) -> ProofPublic:
    return ProofPublic(**result_proof(factory(), result_id))


@router.get(
    "/plans/{plan_id}/corrections",
    response_model=CorrectionsPublic,
    summary="Corrections of a published plan's results, oldest first, each with its reason",
)
def corrections(factory: UowFactoryDep, plan_id: PublishedPlanId) -> CorrectionsPublic:
    data = [
        CorrectionPublic(**{k: v for k, v in c.items() if k in CorrectionPublic.model_fields})
        for c in history(factory(), plan_id)
    ]
    return CorrectionsPublic(data=data, count=len(data))
