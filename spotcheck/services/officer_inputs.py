"""The frozen inputs the inspector draw reads: the snapshot without its firm and tier columns.

The inspector draw (docs/assign-spec.md §3, §8) reads the officers, experts, recusals, check items, the plan, the
options and the earlier records; every visit carries its own firm, district and items. So it never needs the
frozen directory of firms and tiers, which is by far the snapshot's largest part (docs/scale.md, "Measured: the
province"): that part is left unread here, and the City given to the inspector draw has no firms and no tiers.
What it does read is checked as ``read_snapshot`` checks it (the stored document against its SHA-256), and the
inspector draw compares the parts it reads with the record's snapshot (``refuse_changed_inputs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spotcheck.domain.model import City
from spotcheck.services.snapshot import (
    COLUMNAR_KINDS,
    city_from_payload,
    options_from_payload,
    read_snapshot,
    rotation_from_payload,
)
from spotcheck.solver.assign.options import FrozenOptions
from spotcheck.store.snapshot_columns import SCHEMAS
from spotcheck.store.uow import UnitOfWork

__all__ = ["OfficerInputs", "officer_inputs"]


@dataclass(frozen=True)
class OfficerInputs:
    """``city``: the frozen City with its plan, no firms and no tiers; ``history``: the rotation records, then
    the year's (the inspector draw's rotation reads both); ``options``: fixed at the freeze."""

    city: City
    history: list[dict[str, Any]]
    options: FrozenOptions


def officer_inputs(uow: UnitOfWork, plan_id: int) -> OfficerInputs:
    """Read the plan's snapshot once, inside ``uow``, for the inspector draw."""
    payload, _ = read_snapshot(uow, plan_id)
    if payload.get("columns") is None:  # formats /1 to /3: every directory is in the (small) document
        city, year = city_from_payload(payload)
    else:
        city, year = city_from_payload(
            payload, {kind: SCHEMAS[kind].empty_table() for kind in COLUMNAR_KINDS}
        )
    return OfficerInputs(city, rotation_from_payload(payload) + year, options_from_payload(payload))
