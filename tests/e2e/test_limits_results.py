"""Results with bad input or under contention: a clear 4xx, never a 500, and nothing half-written."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from spotcheck.store.tables import ResultRow
from tests.e2e.conftest import World


def _results(world: World, visit: str) -> list[int]:
    with world.uow_factory() as uow:
        query = select(ResultRow.version).where(ResultRow.visit_id == visit).order_by(ResultRow.version)
        return list(uow.session.execute(query).scalars())


def _record(world: World, findings: str = "ok") -> int:
    response = world.client.post(
        f"/api/inspector/assignments/{world.visits['solo']}/result",
        json={"category": "no_problem", "findings": findings},
        headers=world.auth("scjg004"),
    )
    assert response.status_code in (201, 409), response.text
    if response.status_code == 409:
        assert response.json()["detail"] == "busy or changed by another request: try again"
    return response.status_code


def test_findings_with_a_nul_are_refused_with_422(world: World) -> None:
    response = world.client.post(
        f"/api/inspector/assignments/{world.visits['solo']}/result",
        json={"category": "no_problem", "findings": "a\x00b"},
        headers=world.auth("scjg004"),
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "body.findings"
    assert _results(world, world.visits["solo"]) == []


def test_concurrent_results_on_one_visit_each_succeed_or_conflict(world: World) -> None:
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: _record(world), range(8)))
    versions = _results(world, world.visits["solo"])
    assert statuses.count(201) == len(versions) >= 1
    assert versions == list(range(1, len(versions) + 1))
