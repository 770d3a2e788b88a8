"""/api/inspector: an officer sees only their own visits, with teammates and items; another officer's visit
is 404, exactly like a visit that does not exist."""

from __future__ import annotations

from httpx2 import Response

from spotcheck.domain.categories import ReviewState
from tests.e2e.conftest import World


def _record(world: World, visit: str, who: str, **body: str) -> Response:
    """The officer ``who`` records a result on the e2e world's ``visit`` through the inspector API."""
    return world.client.post(
        f"/api/inspector/assignments/{world.visits[visit]}/result", json=body, headers=world.auth(who)
    )


def test_officer_sees_only_own_assignments(world: World) -> None:
    body = world.client.get("/api/inspector/assignments", headers=world.auth("scjg004")).json()
    assert [a["visit_id"] for a in body["data"]] == [world.visits["solo"]]
    mine = body["data"][0]
    assert mine["leader"] is True and mine["department"] == "SCJG"
    assert [t["officer"] for t in mine["teammates"]] == ["SCJG-002"]


def test_joint_visit_shows_teammates_and_own_items(world: World) -> None:
    body = world.client.get(
        f"/api/inspector/assignments/{world.visits['joint']}", headers=world.auth("xf002")
    )
    assert body.status_code == 200
    visit = body.json()
    assert visit["items"] == ["XF-01"] and visit["all_items"] == ["SCJG-B01", "XF-01"]
    assert visit["joint"] is True
    assert [t["officer"] for t in visit["teammates"]] == ["SCJG-002", "SCJG-003", "XF-003"]
    assert visit["firm"]["name"] and visit["result_state"] == ReviewState.PENDING.value


def test_other_officers_visit_is_404_like_a_missing_one(world: World) -> None:
    other = world.client.get(
        f"/api/inspector/assignments/{world.visits['joint']}", headers=world.auth("scjg004")
    )
    missing = world.client.get("/api/inspector/assignments/2026Q1-nothing", headers=world.auth("scjg004"))
    assert other.status_code == missing.status_code == 404
    assert other.json()["detail"] == missing.json()["detail"] == "not found"


def test_assignments_of_unstarted_quarters_are_hidden(world: World) -> None:
    from sqlalchemy import update

    from spotcheck.store.tables import PlanRow

    with world.uow_factory() as uow:
        uow.session.execute(
            update(PlanRow).where(PlanRow.id == world.plans["inspecting"]).values(state="assigned")
        )
        uow.commit()
    body = world.client.get("/api/inspector/assignments", headers=world.auth("scjg004")).json()
    assert body["count"] == 0


def test_officer_records_own_departments_result(world: World) -> None:
    response = _record(world, "joint", "scjg002", category="未发现问题", findings="现场检查正常")
    assert response.status_code == 201, response.text
    assert response.json() == {
        "visit_id": world.visits["joint"],
        "department": "SCJG",
        "version": 1,
        "state": ReviewState.PENDING.value,
    }


def test_recording_for_another_department_is_403(world: World) -> None:
    response = _record(world, "joint", "scjg002", category="no_problem", department="XF")
    assert response.status_code == 403 and response.json()["detail"] == "forbidden"


def test_recording_on_another_officers_visit_is_404(world: World) -> None:
    response = _record(world, "joint", "scjg004", category="no_problem")
    assert response.status_code == 404


def test_unknown_category_is_422(world: World) -> None:
    response = _record(world, "solo", "scjg004", category="looked fine")
    assert response.status_code == 422 and "unknown result category" in response.json()["message"]
