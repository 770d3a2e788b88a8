"""Ceremony version 2 on the database (docs/ceremony.md): the freeze's part, the hand-in, the draw's seed.

- At the freeze (``open_ceremony``) the system draws its own secret, stores it sealed and returns its commitment
  and the named beacon (source and date) for the freeze's audit entry; a commitment that binds another plan
  digest than the plan's (the plan was changed after the department committed) refuses the freeze.
- After the beacon each department hands in its own secret (``hand_in``): checked against its commitment and
  against every earlier use, stored sealed. The draw (``draw_seed``) needs no secret in its request and is
  refused, naming them, while a department has not handed in.
- At publication the handed-in secrets become the reveals and the system secret is published
  (``published_seed``); before it nothing here is served. What is public earlier: ``queries.ceremony``.
"""

from __future__ import annotations

import secrets as os_random
from datetime import date
from typing import Any

from sqlalchemy import select

from spotcheck.domain.errors import InvalidTransition, ValidationError
from spotcheck.domain.lifecycle import Step
from spotcheck.evidence import ceremony, ceremony_v2
from spotcheck.queries.ceremony import ceremony_row
from spotcheck.services.common import audit, step
from spotcheck.services.seeding import (
    check_secret,
    commitments,
    committed_row,
    context,
    refuse_reuse,
    reveals,
)
from spotcheck.store.base import utcnow
from spotcheck.store.quarter import BeaconRow, CeremonyRow, CommitmentRow, PlanRow
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "draw_seed",
    "hand_in",
    "new_system_secret",
    "open_ceremony",
    "published_seed",
]


def new_system_secret() -> str:
    """The system's secret for one plan: 32 bytes from the operating system's random source, as 64 hex digits."""
    return os_random.token_hex(32)


def open_ceremony(
    uow: UnitOfWork, plan: PlanRow, *, beacon_source: str, beacon_date: date, frozen_on: date
) -> dict[str, Any]:
    """Inside the freeze's transaction: name the beacon, draw and seal the system secret. Returns the part of
    the freeze's audit entry that publishes them: {"plan_digest", "system_commitment", "beacon": {...}}."""
    source = beacon_source.strip()
    if not source or len(source) > 200 or not source.isprintable():
        raise ValidationError("name the beacon's source (1–200 printable characters), e.g. a lottery draw")
    if beacon_date <= frozen_on:
        raise ValidationError(
            f"the beacon's date {beacon_date.isoformat()} must be after the freeze ({frozen_on.isoformat()}): "
            "its value may not exist yet when the inputs are fixed"
        )
    bound = context(plan)
    stale = sorted(
        r.department
        for r in uow.session.execute(select(CommitmentRow).where(CommitmentRow.plan_id == plan.id)).scalars()
        if r.plan_digest != bound.plan_digest
    )
    if stale:
        raise InvalidTransition(
            f"cannot freeze plan {plan.id}: the commitments of {', '.join(stale)} bind another version of the "
            "plan (it was changed after they committed, or they committed under ceremony version 1)"
        )
    secret = new_system_secret()
    # published at the freeze, and stored with the secret they seal
    public = {
        "plan_digest": bound.plan_digest,
        "system_commitment": ceremony_v2.system_commitment(bound, secret),
    }
    uow.session.add(
        CeremonyRow(
            plan_id=plan.id, system_secret=secret, beacon_source=source, beacon_date=beacon_date, **public
        )
    )
    return {**public, "beacon": {"source": source, "date": beacon_date.isoformat()}}


def hand_in(uow: UnitOfWork, plan_id: int, department: str, secret: str, *, actor: str) -> None:
    """``department`` hands in its secret after the beacon: checked against its commitment, sealed until
    publication. Refused before the beacon or after the draw, twice, or for a secret used elsewhere."""
    with uow:
        step(uow, plan_id, Step.HANDIN)
        row = committed_row(uow, plan_id, department)
        if row.secret is not None:
            raise InvalidTransition(f"{department} has already handed in its secret for plan {plan_id}")
        check_secret(uow, row, secret)
        refuse_reuse(uow, secret, skip=row.id)  # its own commitment matches, of course
        row.secret, row.handed_in = secret, utcnow()
        audit(uow, "handin", actor, {"plan": plan_id, "department": department})
        uow.commit()


def draw_seed(uow: UnitOfWork, plan_id: int, snapshot_digest: str) -> dict[str, Any]:
    """The seed section the draw stores (secrets sealed): version 2 for a plan frozen with a ceremony row,
    version 1 otherwise; refused while a department has not handed in, naming it."""
    committed = commitments(uow, plan_id)
    secrets = reveals(uow, plan_id)
    missing = sorted(set(committed) - set(secrets))
    if missing:
        raise InvalidTransition(
            f"cannot draw plan {plan_id}: no secret handed in yet by {', '.join(missing)} "
            "(each department hands in its own: spotcheck handin)"
        )
    beacon = uow.session.execute(select(BeaconRow).where(BeaconRow.plan_id == plan_id)).scalar_one()
    row = ceremony_row(uow, plan_id)
    if row is None:
        return ceremony.seed_section(snapshot_digest, beacon.value, committed, secrets, reveal=False)
    plan = uow.plans.get(plan_id)
    bound = ceremony_v2.Context(plan.year, plan.quarter, row.plan_digest)
    named = {"value": beacon.value, "source": row.beacon_source, "date": row.beacon_date.isoformat()}
    system = (row.system_commitment, row.system_secret)
    return ceremony_v2.seed_section(bound, snapshot_digest, named, system, committed, secrets, reveal=False)


def published_seed(uow: UnitOfWork, plan_id: int, section: dict[str, Any]) -> dict[str, Any]:
    """The stored seed section with what publication reveals: the departments' secrets and, for version 2, the
    system secret. Call only for publication (its callers check the plan's state)."""
    out = {**section, "reveals": reveals(uow, plan_id)}
    row = ceremony_row(uow, plan_id)
    if row is not None and section.get("tag") == ceremony_v2.SEED_TAG:
        out["system_secret"] = row.system_secret
    return out
