"""The seed ceremony on the database (docs/ceremony.md): commitments before the freeze, the beacon after it,
reveals after the inspections. Secrets are never stored before they are revealed."""

from __future__ import annotations

import secrets as os_random
from collections.abc import Mapping

from sqlalchemy import select

from spotcheck.domain.errors import InvalidTransition, ValidationError
from spotcheck.domain.lifecycle import Step
from spotcheck.evidence.ceremony import check_reveal, check_reveals, commitment, unmatched, validate_beacon
from spotcheck.services.common import audit, step
from spotcheck.services.plans import participants
from spotcheck.store.base import utcnow
from spotcheck.store.quarter import BeaconRow, CommitmentRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["check_secrets", "commit_secret", "commitments", "enter_beacon", "new_secret", "reveal", "reveals"]


def new_secret() -> str:
    """32 bytes from the operating system's random source, as 64 hex digits (shown once, never stored)."""
    return os_random.token_hex(32)


def commitments(uow: UnitOfWork, plan_id: int) -> dict[str, str]:
    query = select(CommitmentRow).where(CommitmentRow.plan_id == plan_id).order_by(CommitmentRow.department)
    return {r.department: r.commitment for r in uow.session.execute(query).scalars()}


def reveals(uow: UnitOfWork, plan_id: int) -> dict[str, str]:
    query = select(CommitmentRow).where(CommitmentRow.plan_id == plan_id).order_by(CommitmentRow.department)
    return {r.department: r.secret for r in uow.session.execute(query).scalars() if r.secret is not None}


def commit_secret(uow: UnitOfWork, plan_id: int, department: str, secret: str, *, actor: str) -> str:
    """Store ``department``'s commitment to ``secret`` (only the hash); refused after the freeze or twice."""
    with uow:
        row = step(uow, plan_id, Step.COMMIT)
        if department not in participants(uow.plans.plan(row.id)):
            raise ValidationError(
                f"{department} has no items in plan {plan_id}: it takes no part in the ceremony"
            )
        if department in commitments(uow, plan_id):
            raise InvalidTransition(f"{department} has already committed for plan {plan_id}")
        hashed = commitment(department, secret)
        uow.session.add(CommitmentRow(plan_id=plan_id, department=department, commitment=hashed))
        audit(uow, "commit", actor, {"plan": plan_id, "department": department, "commitment": hashed})
        uow.commit()
        return hashed


def enter_beacon(uow: UnitOfWork, plan_id: int, value: str, *, source: str, actor: str) -> None:
    """Enter the public beacon value (after the freeze): the plan becomes ``seeded``."""
    with uow:
        step(uow, plan_id, Step.BEACON)
        validate_beacon(value)
        if not source.strip():
            raise ValidationError("say where the beacon value was published (source)")
        uow.session.add(BeaconRow(plan_id=plan_id, source=source.strip(), value=value))
        audit(uow, "beacon", actor, {"plan": plan_id, "beacon": value, "source": source.strip()})
        uow.commit()


def check_secrets(uow: UnitOfWork, plan_id: int, given: Mapping[str, str]) -> dict[str, str]:
    """Every committed department's secret, each checked against its commitment (VerificationError if not)."""
    committed = commitments(uow, plan_id)
    missing, unknown = unmatched(committed, given)
    problem = (
        f"the draw needs every department's secret; missing: {', '.join(missing)}"
        if missing
        else f"secrets given for departments that did not commit: {', '.join(unknown)}"
    )
    if missing or unknown:
        raise ValidationError(problem)
    check_reveals(committed, given)
    return {d: given[d] for d in sorted(committed)}


def reveal(uow: UnitOfWork, plan_id: int, department: str, secret: str, *, actor: str) -> None:
    """Reveal a department's secret after the inspections; it must match the commitment."""
    with uow:
        step(uow, plan_id, Step.REVEAL)
        row = uow.session.execute(
            select(CommitmentRow).where(
                CommitmentRow.plan_id == plan_id, CommitmentRow.department == department
            )
        ).scalar_one_or_none()
        if row is None:
            raise ValidationError(f"{department} made no commitment for plan {plan_id}")
        check_reveal(department, secret, row.commitment)
        if row.secret is None:
            row.secret, row.revealed = secret, utcnow()
            audit(uow, "reveal", actor, {"plan": plan_id, "department": department, "secret": secret})
        uow.commit()
