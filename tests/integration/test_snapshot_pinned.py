"""The stored form of the frozen snapshot may change; what it stands for may not (docs/draw-spec.md §1).

A fixed small synthetic city is imported, frozen and read back on each backend. The published snapshot digest
and the record of a draw on the read-back inputs under a fixed seed are pinned to the values the code gave
before the snapshot was stored column by column, so a change of storage cannot move a digest or a record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from spotcheck.ingest import load_city
from spotcheck.ingest.city import read_plan
from spotcheck.services import freeze, plans, seeding
from spotcheck.solver.draw.quarter import draw, prepare
from spotcheck.solver.draw.record import record_digest
from spotcheck.store import UnitOfWork, import_folder
from spotcheck.synth import generate_city
from tests.ceremony_steps import freeze_named, secret_for

UowFactory = Callable[[], UnitOfWork]
SEED = "c0ffee" + "5eed" * 14 + "d1"
# Computed by the code before the columnar snapshot (gzip canonical JSON payload, spotcheck-frozen-inputs/3).
PINNED_DIGEST = "5c97ec365f16098bf95f8cb880f62fe4450fd18cfb500aac6da833aaf83fa317"
PINNED_RECORD = "fa0f085f73a3603e8bbc0695588ab8f7dd21cc7c05712193127f01c60928db74"


def test_the_snapshot_digest_and_the_record_are_the_same_as_before_the_columnar_snapshot(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "city"
    generate_city(folder, firms=1_500, seed="pinned snapshot")
    import_folder(uow_factory(), folder)
    plan = replace(read_plan(folder / "plan.json"), quarter=1)
    plan_id = plans.create_plan(uow_factory(), plan, actor="planner")
    for department in plans.plan_status(uow_factory(), plan_id).participants:
        seeding.commit_secret(
            uow_factory(), plan_id, department, secret_for("pinned", department), actor=department
        )
    frozen = freeze_named(uow_factory, plan_id, date(plan.year - 1, 12, 20))
    with uow_factory() as uow:
        prepared = freeze.prepare_frozen(uow, plan_id)
    record = draw(prepared, SEED)
    offline = draw(prepare(load_city(folder, plan_path=None)), SEED)
    assert frozen.digest == prepared.snapshot == PINNED_DIGEST
    assert record_digest(record) == record_digest(offline) == PINNED_RECORD
    assert frozen.firms == 1_500
