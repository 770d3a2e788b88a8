"""/api/regulator: directories, every plan (drafts too), visits with officers, coverage and workload."""

from __future__ import annotations

from tests.e2e.conftest import World


def test_directory_counts(world: World) -> None:
    body = world.client.get("/api/regulator/directories", headers=world.auth("regulator")).json()
    assert body["departments"] == 3 and body["enterprises"] == 30 and body["inspectors"] == 10


def test_plans_include_drafts_and_figures(world: World) -> None:
    body = world.client.get("/api/regulator/plans", headers=world.auth("regulator")).json()
    assert body["count"] == 3
    by_id = {p["id"]: p for p in body["data"]}
    stats = by_id[world.plans["inspecting"]]["stats"]
    assert stats["visits"] == 2 and stats["joint_visits"] == 1
    assert stats["joint_share"] == {"exact": "1/2", "percent": "50.00"}
    assert by_id[world.plans["inspecting"]]["seed"] is None  # the seed is public only with the results


def test_visits_with_officers(world: World) -> None:
    plan = world.plans["inspecting"]
    body = world.client.get(f"/api/regulator/plans/{plan}/visits", headers=world.auth("regulator")).json()
    assert body["count"] == 2
    joint = next(v for v in body["data"] if v["id"] == world.visits["joint"])
    assert joint["officers"] == ["SCJG:SCJG-002", "SCJG:SCJG-003", "XF:XF-002", "XF:XF-003"]


def test_workload_counts_visits_per_officer(world: World) -> None:
    plan = world.plans["inspecting"]
    body = world.client.get(f"/api/regulator/plans/{plan}/workload", headers=world.auth("regulator")).json()
    load = {w["officer"]: w["visits"] for w in body["data"]}
    assert load["SCJG-002"] == 2 and load["SCJG-004"] == 1 and load["STHJ-001"] == 0
    assert "STHJ-003" not in load  # inactive


def test_unknown_plan_is_404(world: World) -> None:
    response = world.client.get("/api/regulator/plans/9999", headers=world.auth("regulator"))
    assert response.status_code == 404
    assert response.json() == {"detail": "not found", "message": "plan 9999 does not exist"}


def test_audit_chain_is_verified_and_tampering_named(world: World) -> None:
    from sqlalchemy import update

    from spotcheck.services.common import audit
    from spotcheck.store.tables import AuditRow

    before = world.client.get("/api/regulator/audit", headers=world.auth("regulator")).json()["entries"]
    assert before >= 1  # the city's import is logged
    with world.uow_factory() as uow:
        for n in range(3):
            audit(uow, "note", "tester", {"n": n})
        uow.commit()
    body = world.client.get("/api/regulator/audit", headers=world.auth("regulator")).json()
    assert body["entries"] == before + 3 and len(body["head"]) == 64
    tampered = before + 2
    with world.uow_factory() as uow:
        uow.session.execute(update(AuditRow).where(AuditRow.seq == tampered).values(actor="someone else"))
        uow.commit()
    broken = world.client.get("/api/regulator/audit", headers=world.auth("regulator"))
    assert broken.status_code == 409 and broken.json()["detail"] == "verification failed"
    assert str(tampered) in broken.json()["message"]
