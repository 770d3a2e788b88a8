"""The quarter up to the draw on SQLite and PostgreSQL: guarded transitions, the ceremony, the frozen snapshot,
a crash in the middle of a draw, two concurrent draws."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from spotcheck.domain.errors import InvalidTransition, ValidationError, VerificationError
from spotcheck.domain.lifecycle import PlanState
from spotcheck.evidence import ceremony_v2
from spotcheck.evidence.ceremony import check_seed
from spotcheck.ingest import load_city
from spotcheck.ingest.city import read_plan
from spotcheck.services import ceremony, draws, plans, seeding
from spotcheck.services.snapshot import pack_payload, read_snapshot
from spotcheck.solver.draw.quarter import draw_quarter, prepare
from spotcheck.solver.draw.record import dump_record
from spotcheck.solver.verify import verify_record
from spotcheck.store import UnitOfWork, import_folder
from spotcheck.store.quarter import CeremonyRow, DrawRow, SnapshotRow, VisitRow
from tests.ceremony_steps import freeze_named, hand_in_all, secret_for, seed_with_beacon
from tests.conftest import write_tiny_city

UowFactory = Callable[[], UnitOfWork]
FROZEN_ON = date(2025, 12, 20)
BEACON = "体彩 2025150: 03 11 19 27 33 + 05 09"
ROOT = Path(__file__).resolve().parents[2]


def secrets_for(departments: tuple[str, ...]) -> dict[str, str]:
    return {d: secret_for("draw", d) for d in departments}


def new_plan(uow_factory: UowFactory, tmp_path: Path) -> tuple[int, Path, dict[str, str]]:
    folder = write_tiny_city(tmp_path / "city", firms=60)
    import_folder(uow_factory(), folder)
    plan_id = plans.create_plan(uow_factory(), read_plan(folder / "plan.json"), actor="planner")
    return plan_id, folder, secrets_for(plans.plan_status(uow_factory(), plan_id).participants)


def seeded_plan(uow_factory: UowFactory, tmp_path: Path) -> tuple[int, Path, dict[str, str]]:
    plan_id, folder, secrets = new_plan(uow_factory, tmp_path)
    for department, secret in secrets.items():
        seeding.commit_secret(uow_factory(), plan_id, department, secret, actor=department)
    freeze_named(uow_factory, plan_id, FROZEN_ON)
    seed_with_beacon(uow_factory, plan_id, BEACON)
    hand_in_all(uow_factory, plan_id, secrets)
    return plan_id, folder, secrets


def state(uow_factory: UowFactory, plan_id: int) -> PlanState:
    return plans.plan_status(uow_factory(), plan_id).state


def draw_rows(uow_factory: UowFactory, plan_id: int) -> int:
    with uow_factory() as uow:
        return int(uow.session.execute(select(func.count()).where(DrawRow.plan_id == plan_id)).scalar_one())


def test_each_step_moves_the_plan_once(uow_factory: UowFactory, tmp_path: Path) -> None:
    plan_id, _, secrets = new_plan(uow_factory, tmp_path)
    assert state(uow_factory, plan_id) is PlanState.DRAFT
    with pytest.raises(InvalidTransition, match="no commitment yet from SCJG, STHJ, XF"):
        freeze_named(uow_factory, plan_id, FROZEN_ON)
    for department, secret in secrets.items():
        seeding.commit_secret(uow_factory(), plan_id, department, secret, actor=department)
    with pytest.raises(InvalidTransition, match="already committed"):
        seeding.commit_secret(uow_factory(), plan_id, "XF", secret_for("other"), actor="XF")
    with pytest.raises(InvalidTransition, match="cannot beacon: the plan is draft"):
        seed_with_beacon(uow_factory, plan_id, BEACON)
    frozen = freeze_named(uow_factory, plan_id, FROZEN_ON)
    assert state(uow_factory, plan_id) is PlanState.FROZEN and len(frozen.digest) == 64
    with pytest.raises(InvalidTransition, match="cannot freeze: the plan is frozen"):
        freeze_named(uow_factory, plan_id, FROZEN_ON)
    with pytest.raises(InvalidTransition, match="cannot commit: the plan is frozen"):
        seeding.commit_secret(uow_factory(), plan_id, "XF", secret_for("other"), actor="XF")
    with pytest.raises(InvalidTransition, match="cannot draw: the plan is frozen"):
        draws.run_draw(uow_factory(), plan_id, actor="planner")
    with pytest.raises(InvalidTransition, match="cannot handin: the plan is frozen"):
        hand_in_all(uow_factory, plan_id, secrets)
    seed_with_beacon(uow_factory, plan_id, BEACON)
    assert state(uow_factory, plan_id) is PlanState.SEEDED
    hand_in_all(uow_factory, plan_id, secrets)
    drawn = draws.run_draw(uow_factory(), plan_id, actor="planner")
    assert state(uow_factory, plan_id) is PlanState.DRAWN and drawn.visits > 0
    with pytest.raises(InvalidTransition, match="cannot draw: the plan is drawn"):
        draws.run_draw(uow_factory(), plan_id, actor="planner")
    assert draw_rows(uow_factory, plan_id) == 1
    with uow_factory() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions[-10:] == [
        "plan", "commit", "commit", "commit", "freeze", "beacon", "handin", "handin", "handin", "draw"
    ]  # fmt: skip


def test_a_second_plan_for_the_quarter_is_refused(uow_factory: UowFactory, tmp_path: Path) -> None:
    _, folder, _ = new_plan(uow_factory, tmp_path)
    with pytest.raises(ValidationError, match="already has plan"):
        plans.create_plan(uow_factory(), read_plan(folder / "plan.json"), actor="planner")


def test_a_wrong_or_missing_secret_draws_nothing(uow_factory: UowFactory, tmp_path: Path) -> None:
    plan_id, _, secrets = new_plan(uow_factory, tmp_path)
    for department, secret in secrets.items():
        seeding.commit_secret(uow_factory(), plan_id, department, secret, actor=department)
    freeze_named(uow_factory, plan_id, FROZEN_ON)
    seed_with_beacon(uow_factory, plan_id, BEACON)
    with pytest.raises(VerificationError, match="XF: the secret does not match"):
        ceremony.hand_in(uow_factory(), plan_id, "XF", secret_for("wrong"), actor="XF")
    hand_in_all(uow_factory, plan_id, {k: v for k, v in secrets.items() if k not in ("STHJ", "XF")})
    with pytest.raises(InvalidTransition, match="no secret handed in yet by STHJ, XF"):
        draws.run_draw(uow_factory(), plan_id, actor="p")
    with pytest.raises(InvalidTransition, match="SCJG has already handed in"):
        ceremony.hand_in(uow_factory(), plan_id, "SCJG", secrets["SCJG"], actor="SCJG")
    assert state(uow_factory, plan_id) is PlanState.SEEDED and draw_rows(uow_factory, plan_id) == 0


def test_the_stored_draw_is_the_offline_draw_and_verifies(uow_factory: UowFactory, tmp_path: Path) -> None:
    plan_id, folder, secrets = seeded_plan(uow_factory, tmp_path)
    draws.run_draw(uow_factory(), plan_id, actor="planner")
    with uow_factory() as uow:
        stored = draws.draw_record(uow, plan_id)
        visits = uow.session.execute(select(VisitRow.id).where(VisitRow.plan_id == plan_id)).scalars().all()
        published = draws.published_record(uow, plan_id)
        system = uow.session.execute(
            select(CeremonyRow.system_secret).where(CeremonyRow.plan_id == plan_id)
        ).scalar_one()
    assert "reveals" not in stored["seed"] and "system_secret" not in stored["seed"]
    assert stored["seed"]["tag"] == "spotcheck-seed/2"
    assert sorted(visits) == [v["id"] for v in stored["visits"]]
    city = load_city(folder)
    digest = stored["snapshot"]["digest"]
    expected = ceremony_v2.ceremony_seed(digest, BEACON, system, secrets)
    assert stored["seed"]["value"] == expected
    offline = draw_quarter(city, year=2026, quarter=1, seed=stored["seed"])
    assert dump_record(offline) == dump_record(stored)
    assert published["seed"]["reveals"] == secrets  # the publication form: handed-in secrets are the reveals
    assert published["seed"]["system_secret"] == system
    verify_record(published, city)


WORKER = """
import sys, time
from pathlib import Path
from spotcheck.store import UnitOfWork, make_engine
from spotcheck.services import draws
url, plan_id, marker = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
mode = sys.argv[4]
def hang(stage, done, total):
    if mode == "hang" and stage == "lottery":
        marker.write_text("drawing")
        time.sleep(600)
if mode == "race":
    while not marker.parent.joinpath("go").exists():
        time.sleep(0.01)
try:
    draws.run_draw(UnitOfWork(make_engine(url)), plan_id, actor="worker", progress=hang)
    print("drawn")
except Exception as exc:
    print("refused:", type(exc).__name__, exc)
"""


def spawn(url: str, plan_id: int, marker: Path, mode: str) -> subprocess.Popen[str]:
    """A separate process drawing the plan; the departments have handed in, so it needs no secret."""
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, url, str(plan_id), str(marker), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_a_draw_killed_midway_leaves_the_plan_seeded_and_the_rerun_gives_the_record(
    uow_factory: UowFactory, migrated_url: str, tmp_path: Path
) -> None:
    plan_id, folder, _ = seeded_plan(uow_factory, tmp_path)
    marker = tmp_path / "marker"
    worker = spawn(migrated_url, plan_id, marker, "hang")
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert worker.poll() is None, worker.communicate()[0]
        assert time.monotonic() < deadline, "the worker never reached the lottery"
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.communicate()  # reaps the process and closes its pipe
    assert state(uow_factory, plan_id) is PlanState.SEEDED and draw_rows(uow_factory, plan_id) == 0
    first = draws.run_draw(uow_factory(), plan_id, actor="planner")
    with uow_factory() as uow:
        stored = draws.draw_record(uow, plan_id)
        check_seed(
            draws.published_record(uow, plan_id)["seed"]
        )  # the seed is the ceremony's, from the secrets
    again = draw_quarter(load_city(folder), year=2026, quarter=1, seed=stored["seed"])
    assert dump_record(again) == dump_record(stored) and first.visits == len(stored["visits"])


def test_two_concurrent_draws_make_exactly_one(
    uow_factory: UowFactory, migrated_url: str, tmp_path: Path
) -> None:
    plan_id, _, _ = seeded_plan(uow_factory, tmp_path)
    workers = [spawn(migrated_url, plan_id, tmp_path / f"m{i}", "race") for i in range(2)]
    time.sleep(1.0)  # both imported and waiting
    (tmp_path / "go").write_text("go")
    outputs = [w.communicate(timeout=180)[0] for w in workers]
    drawn = [o for o in outputs if o.strip().endswith("drawn")]
    assert len(drawn) == 1, outputs
    assert draw_rows(uow_factory, plan_id) == 1 and state(uow_factory, plan_id) is PlanState.DRAWN


def test_the_published_digest_fixes_the_plan_a_plan_changed_after_freeze_draws_nothing(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id, folder, _ = seeded_plan(uow_factory, tmp_path)
    with uow_factory() as uow:
        payload, digest = read_snapshot(uow, plan_id)
        announced = [e.payload["digest"] for e in uow.audit.entries() if e.action == "freeze"]
    assert announced == [digest]
    assert prepare(load_city(folder)).snapshot == digest  # the draw's own digest: directories, plan, history
    task = payload["plan"]["tasks"][0]
    task["ratios"] = {tier: "1" for tier in task["ratios"]}  # the plan edited in the stored snapshot
    with uow_factory() as uow:
        row = uow.session.execute(select(SnapshotRow).where(SnapshotRow.plan_id == plan_id)).scalar_one()
        row.payload_gz = pack_payload(payload)[0]
        uow.commit()
    with pytest.raises(VerificationError, match="no longer gives its published digest"):
        draws.run_draw(uow_factory(), plan_id, actor="planner")
    assert state(uow_factory, plan_id) is PlanState.SEEDED and draw_rows(uow_factory, plan_id) == 0
