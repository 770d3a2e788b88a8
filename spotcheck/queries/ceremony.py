"""What is public about a plan's seed ceremony (version 2, docs/ceremony.md) before publication: the plan digest,
the system commitment, the beacon named at the freeze, who has handed in, who entered the beacon value and when.
Never a secret: the sealed system secret is read only through ``ceremony_row`` by the ceremony's use cases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from spotcheck.store.tables import BeaconRow, CeremonyRow, CommitmentRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["ceremony_row", "handed_in", "public_ceremony"]


def ceremony_row(uow: UnitOfWork, plan_id: int) -> CeremonyRow | None:
    """The plan's ceremony row (written at a version-2 freeze), or None (not frozen, or frozen under version 1)."""
    return uow.session.execute(select(CeremonyRow).where(CeremonyRow.plan_id == plan_id)).scalar()


def handed_in(uow: UnitOfWork, plan_id: int) -> list[str]:
    """The departments that have handed in their secret, in code order."""
    query = select(CommitmentRow.department).where(
        CommitmentRow.plan_id == plan_id, CommitmentRow.secret.is_not(None)
    )
    return sorted(uow.session.execute(query).scalars())


def public_ceremony(uow: UnitOfWork, plan_id: int) -> dict[str, Any] | None:
    """What is public about a version-2 ceremony before publication: the plan digest, the system commitment,
    the named beacon, who handed in, and who entered the beacon value when. Never a secret."""
    row = ceremony_row(uow, plan_id)
    if row is None:
        return None
    beacon = uow.session.execute(select(BeaconRow).where(BeaconRow.plan_id == plan_id)).scalar()
    return {
        "plan_digest": row.plan_digest,
        "system_commitment": row.system_commitment,
        "beacon_source": row.beacon_source,
        "beacon_date": row.beacon_date.isoformat(),
        "beacon_entered_by": None if beacon is None else beacon.entered_by,
        "beacon_entered_at": None if beacon is None else beacon.entered.isoformat(timespec="seconds"),
        "handed_in": handed_in(uow, plan_id),
    }
