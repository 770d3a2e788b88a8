"""Ceremony v2 at the freeze and the beacon (docs/ceremony.md): the beacon is named before its value exists, its
value is refused before the named date or from another source, and a plan changed after a department committed
cannot be frozen with the stale commitment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from spotcheck.domain.errors import InvalidTransition, ValidationError
from spotcheck.services import freeze, publication, seeding
from spotcheck.store import UnitOfWork
from spotcheck.store.quarter import PlanRow
from tests.ceremony_steps import BEACON_SOURCE
from tests.integration.test_quarter_draw import FROZEN_ON, new_plan

UowFactory = Callable[[], UnitOfWork]


def committed(uow_factory: UowFactory, tmp_path: Path) -> int:
    plan_id, _, secrets = new_plan(uow_factory, tmp_path)
    for department, secret in secrets.items():
        seeding.commit_secret(uow_factory(), plan_id, department, secret, actor=department)
    return plan_id


def test_the_beacon_is_named_at_the_freeze_and_entered_on_its_day(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id = committed(uow_factory, tmp_path)

    def frozen(on: date) -> freeze.Frozen:
        return freeze.freeze(
            uow_factory(),
            plan_id,
            actor="p",
            frozen_on=FROZEN_ON,
            beacon_source=BEACON_SOURCE,
            beacon_date=on,
        )

    with pytest.raises(ValidationError, match="must be after the freeze"):
        frozen(FROZEN_ON)
    frozen(date(2025, 12, 23))
    with uow_factory() as uow:
        entry = [e.payload for e in uow.audit.entries() if e.action == "freeze"][-1]
    assert entry["ceremony"]["beacon"] == {"source": BEACON_SOURCE, "date": "2025-12-23"}
    assert len(entry["ceremony"]["system_commitment"]) == 64 and "system_secret" not in str(entry)
    with pytest.raises(InvalidTransition, match="published on 2025-12-23"):
        seeding.enter_beacon(
            uow_factory(), plan_id, "03 08", source=BEACON_SOURCE, actor="li", today=date(2025, 12, 22)
        )
    with pytest.raises(ValidationError, match="named the beacon"):
        seeding.enter_beacon(
            uow_factory(), plan_id, "03 08", source="体彩", actor="li", today=date(2025, 12, 23)
        )
    seeding.enter_beacon(
        uow_factory(), plan_id, "03 08", source=BEACON_SOURCE, actor="li", today=date(2025, 12, 23)
    )
    view = publication.public_view(uow_factory(), plan_id)["ceremony"]
    assert view["beacon_entered_by"] == "li" and view["beacon_entered_at"]
    assert view["handed_in"] == [] and "system_secret" not in view


def test_a_plan_changed_after_the_commitments_cannot_be_frozen_with_them(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id = committed(uow_factory, tmp_path)
    with uow_factory() as uow:  # there is no edit step: a change made in the database directly
        row = uow.session.get(PlanRow, plan_id)
        assert row is not None
        row.plan_json = row.plan_json.replace('"coverage":"0.05"', '"coverage":"0.06"')
        uow.commit()
    with pytest.raises(
        InvalidTransition, match="commitments of SCJG, STHJ, XF bind another version of the plan"
    ):
        freeze.freeze(
            uow_factory(),
            plan_id,
            actor="p",
            frozen_on=FROZEN_ON,
            beacon_source=BEACON_SOURCE,
            beacon_date=date(2025, 12, 23),
        )
