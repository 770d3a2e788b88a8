"""Rotation across years on SQLite and PostgreSQL (docs/assign-spec.md §3): the freeze of year 2's Q1 fixes
year 1's records with officers, and the inspector draw keeps each firm's last officers away from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from spotcheck.domain.errors import ValidationError, VerificationError
from spotcheck.ingest.city import read_plan
from spotcheck.services import draws, freeze, inspection, plans, publication, results, seeding
from spotcheck.services.snapshot import pack_payload, read_snapshot
from spotcheck.solver.assign.inputs import last_teams
from spotcheck.solver.assign.options import FrozenOptions
from spotcheck.solver.assign.record import attach_assignments
from spotcheck.solver.draw.record import record_digest
from spotcheck.store import UnitOfWork, import_folder
from spotcheck.store.quarter import SnapshotRow
from tests.ceremony_steps import freeze_named, hand_in_all, secret_for, seed_with_beacon
from tests.integration.test_quarter_publication import city_with_enough_officers

UowFactory = Callable[[], UnitOfWork]


def assigned_quarter(
    uow_factory: UowFactory, folder: Path, year: int, quarter: int
) -> tuple[int, dict[str, str]]:
    plan = replace(read_plan(folder / "plan.json"), year=year, quarter=quarter)
    plan_id = plans.create_plan(uow_factory(), plan, actor="planner")
    departments = plans.plan_status(uow_factory(), plan_id).participants
    secrets = {d: secret_for("rotation", year, quarter, d) for d in departments}
    for department, secret in secrets.items():
        seeding.commit_secret(uow_factory(), plan_id, department, secret, actor=department)
    frozen_on = date(year, 3 * quarter - 2, 1) - timedelta(days=10)
    freeze_named(uow_factory, plan_id, frozen_on, options=FrozenOptions(unstaffable="defer"))
    seed_with_beacon(uow_factory, plan_id, f"{year}{quarter} 07 15 22")
    hand_in_all(uow_factory, plan_id, secrets)
    draws.run_draw(uow_factory(), plan_id, actor="planner")
    with pytest.raises(ValidationError, match=r"fixed at the freeze .* max pair 3 \(frozen: None\)"):
        inspection.run_assign(uow_factory(), plan_id, actor="planner", max_pair_visits=3)
    with pytest.raises(ValidationError, match=r"unstaffable teams refuse \(frozen: defer\)"):
        inspection.run_assign(uow_factory(), plan_id, actor="planner", defer_unstaffable=False)
    inspection.run_assign(uow_factory(), plan_id, actor="planner", defer_unstaffable=True)
    return plan_id, secrets


def test_the_last_officers_of_year_one_are_not_sent_to_the_firm_in_year_two(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    folder = city_with_enough_officers(tmp_path)
    import_folder(uow_factory(), folder)
    q4, _ = assigned_quarter(uow_factory, folder, 2025, 4)
    q1, secrets = assigned_quarter(uow_factory, folder, 2026, 1)
    with uow_factory() as uow:
        last_year = draws.draw_record(uow, q4)
        record = draws.draw_record(uow, q1)
        city, history, rotation, _ = freeze.frozen_inputs_and_rotation(uow, q1)
        entry = next(
            e.payload for e in uow.audit.entries() if e.action == "freeze" and e.payload["plan"] == q1
        )
    cited = [{"year": 2025, "quarter": 4, "digest": record_digest(last_year)}]
    assert history == [] and rotation == [last_year]  # the target draw's history stays the year's
    assert entry["rotation"] == cited  # fixed at the freeze, before the seed
    # The freeze states the layout and the options too (draw-spec §5.1), and the draw used that layout.
    assert entry["coordination"]["offsets"] == record["plan"]["coordination"]["offsets"]
    assert entry["options"] == record["snapshot"]["options"] and entry["options"]["unstaffable"] == "defer"
    assert entry["parts"] == record["snapshot"]["parts"]
    assert record["assignment"]["rotation_history"] == cited

    before = last_teams([last_year])
    again = [v for v in record["visits"] if v["uscc"] in before]
    assert again, "the test needs a firm visited in both quarters"
    for visit in again:
        assert not {o["officer"] for o in visit["officers"]} & set(before[visit["uscc"]]), visit["id"]
    # Without last year's records the same draw would have sent some of them back (the snapshot, which fixes
    # them, is left out here so that the inspector draw runs without them).
    with pytest.raises(ValidationError, match="changed after the freeze .* rotation"):
        attach_assignments(record, city, [])
    blind = attach_assignments({k: v for k, v in record.items() if k != "snapshot"}, city, [])
    assert any(
        o["officer"] in before[v["uscc"]]
        for v in blind["visits"]
        if v["uscc"] in before
        for o in v["officers"]
    )

    end = date(2026, 2, 6)
    inspection.start_inspection(uow_factory(), q1, begin=date(2026, 1, 5), end=end, actor="planner")
    for due in results.deadlines(uow_factory(), q1, today=end):
        results.record_result(
            uow_factory(),
            q1,
            due.visit,
            due.department,
            "no_problem",
            actor_department=due.department,
            actor="i",
        )
        results.review(uow_factory(), q1, due.visit, due.department, approve=True, actor="reviewer")
    inspection.close_inspection(uow_factory(), q1, actor="planner")
    for department, secret in secrets.items():
        seeding.reveal(uow_factory(), q1, department, secret, actor=department)
    done = publication.publish(uow_factory(), q1, actor="planner")
    assert publication.verify_plan(uow_factory(), q1)["record"] == done["record"]  # spotcheck audit plan

    # The rotation records are fixed by the freeze entry: a snapshot stripped of them no longer passes.
    with uow_factory() as uow:
        payload, _ = read_snapshot(uow, q1)
        snap = uow.session.execute(select(SnapshotRow).where(SnapshotRow.plan_id == q1)).scalar_one()
        snap.payload_gz = pack_payload(dict(payload, rotation=[]))[0]
        uow.commit()
    with pytest.raises(VerificationError, match="rotation records are not the ones its freeze entry names"):
        publication.verify_plan(uow_factory(), q1)
