"""The seed ceremony on the database (docs/ceremony.md): commitments before the freeze, the beacon after it.

A commitment (version 2) binds the plan's year, quarter and digest; a secret used in any earlier commitment (of
any plan, either version), a system secret, or a commitment seen before is refused, and so is a secret that is
obviously not random. The secret sent with a commitment is hashed and dropped, never stored. Hand-in, the system
secret and the seed are in ``services.ceremony``; ``reveal`` remains for plans drawn under version 1."""

from __future__ import annotations

import secrets as os_random
from datetime import UTC, date, datetime

from sqlalchemy import select

from spotcheck.domain.errors import InvalidTransition, ValidationError, VerificationError
from spotcheck.domain.lifecycle import Step
from spotcheck.evidence import ceremony_v2
from spotcheck.evidence.ceremony import check_reveal, validate_beacon
from spotcheck.evidence.ceremony import commitment as commitment_v1
from spotcheck.services.common import audit, step
from spotcheck.services.plans import participants
from spotcheck.store.base import utcnow
from spotcheck.store.quarter import BeaconRow, CeremonyRow, CommitmentRow, PlanRow
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "check_secret",
    "commit_secret",
    "commitments",
    "committed_row",
    "context",
    "enter_beacon",
    "new_secret",
    "refuse_reuse",
    "reveal",
    "reveals",
]


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
    """Store ``department``'s commitment (version 2) to ``secret`` (only the hash); refused after the freeze,
    twice, for a secret that is not random or was used before, or a commitment seen before."""
    with uow:
        row = step(uow, plan_id, Step.COMMIT)
        if department not in participants(uow.plans.plan(row.id)):
            raise ValidationError(
                f"{department} has no items in plan {plan_id}: it takes no part in the ceremony"
            )
        if department in commitments(uow, plan_id):
            raise InvalidTransition(f"{department} has already committed for plan {plan_id}")
        ceremony_v2.refuse_weak(secret)
        bound = context(row)
        hashed = ceremony_v2.commitment(bound, department, secret)
        refuse_reuse(uow, secret, hashed)
        uow.session.add(
            CommitmentRow(
                plan_id=plan_id, department=department, commitment=hashed, plan_digest=bound.plan_digest
            )
        )
        audit(
            uow,
            "commit",
            actor,
            {
                "plan": plan_id,
                "department": department,
                "commitment": hashed,
                "plan_digest": bound.plan_digest,
            },
        )
        uow.commit()
        return hashed


def context(plan: PlanRow) -> ceremony_v2.Context:
    """What a version-2 commitment to ``plan`` binds: its year, quarter and the digest of its stored JSON."""
    return ceremony_v2.Context(plan.year, plan.quarter, ceremony_v2.plan_digest(plan.plan_json))


def refuse_reuse(uow: UnitOfWork, secret: str, hashed: str | None = None, *, skip: int | None = None) -> None:
    """Refuse ``secret`` if any plan ever used it: handed in or revealed, drawn as a system secret, or committed
    to (each stored commitment is recomputed for ``secret`` under its own plan and version); refuse ``hashed``
    if that commitment was stored before. ``skip``: the id of a commitment row not to compare with."""
    rows = uow.session.execute(
        select(CommitmentRow, PlanRow.year, PlanRow.quarter).join(
            PlanRow, PlanRow.id == CommitmentRow.plan_id
        )
    ).all()
    system = uow.session.execute(select(CeremonyRow.plan_id).where(CeremonyRow.system_secret == secret))
    if system.first() is not None:
        raise ValidationError("this secret was used before: a ceremony secret is used once; draw a new one")
    for row, year, quarter in rows:
        if row.id == skip:
            continue
        if hashed is not None and row.commitment == hashed:
            raise ValidationError(f"this commitment was seen before (plan {row.plan_id}); draw a new secret")
        if row.plan_digest is None:
            again = commitment_v1(row.department, secret)
        else:
            again = ceremony_v2.commitment(
                ceremony_v2.Context(year, quarter, row.plan_digest), row.department, secret
            )
        if row.secret == secret or again == row.commitment:
            raise ValidationError(
                f"this secret was used before (plan {row.plan_id}): a ceremony secret is used once; draw a new one"
            )


def enter_beacon(
    uow: UnitOfWork, plan_id: int, value: str, *, source: str, actor: str, today: date | None = None
) -> None:
    """Enter the public beacon value (after the freeze): the plan becomes ``seeded``. A version-2 plan takes
    only the source named at its freeze, and not before the named date (``today``: default the UTC date)."""
    with uow:
        step(uow, plan_id, Step.BEACON)
        validate_beacon(value)
        if not source.strip():
            raise ValidationError("say where the beacon value was published (source)")
        named = uow.session.execute(select(CeremonyRow).where(CeremonyRow.plan_id == plan_id)).scalar()
        on = today or datetime.now(UTC).date()
        if named is not None and source.strip() != named.beacon_source:
            raise ValidationError(
                f"the freeze named the beacon {named.beacon_source!r}, not {source.strip()!r}"
            )
        if named is not None and on < named.beacon_date:
            raise InvalidTransition(
                f"the beacon named at the freeze is published on {named.beacon_date.isoformat()}: "
                f"it cannot be entered on {on.isoformat()}"
            )
        uow.session.add(BeaconRow(plan_id=plan_id, source=source.strip(), value=value, entered_by=actor))
        audit(uow, "beacon", actor, {"plan": plan_id, "beacon": value, "source": source.strip()})
        uow.commit()


def reveal(uow: UnitOfWork, plan_id: int, department: str, secret: str, *, actor: str) -> None:
    """Reveal a department's secret after the inspections; it must match the commitment. Needed only for plans
    drawn under version 1: a version-2 secret was handed in before the draw and is published with the record
    (revealing it again is accepted and changes nothing)."""
    with uow:
        step(uow, plan_id, Step.REVEAL)
        row = committed_row(uow, plan_id, department)
        check_secret(uow, row, secret)
        if row.secret is None:
            row.secret, row.revealed = secret, utcnow()
            audit(uow, "reveal", actor, {"plan": plan_id, "department": department, "secret": secret})
        uow.commit()


def committed_row(uow: UnitOfWork, plan_id: int, department: str) -> CommitmentRow:
    """``department``'s commitment row for the plan, which hand-in and reveal both check a secret against;
    ValidationError when the department made none."""
    row = uow.session.execute(
        select(CommitmentRow).where(CommitmentRow.plan_id == plan_id, CommitmentRow.department == department)
    ).scalar_one_or_none()
    if row is None:
        raise ValidationError(f"{department} made no commitment for plan {plan_id}")
    return row


def check_secret(uow: UnitOfWork, row: CommitmentRow, secret: str) -> None:
    """VerificationError unless ``secret`` is the one ``row`` commits to, under the row's ceremony version."""
    if row.plan_digest is None:
        check_reveal(row.department, secret, row.commitment)
        return
    plan = uow.plans.get(row.plan_id)
    bound = ceremony_v2.Context(plan.year, plan.quarter, row.plan_digest)
    try:
        actual = ceremony_v2.commitment(bound, row.department, secret)
    except ValidationError as exc:
        raise VerificationError(f"{row.department}: the secret is malformed ({exc})") from exc
    if actual != row.commitment:
        raise VerificationError(
            f"{row.department}: the secret does not match its commitment {row.commitment}"
        )
