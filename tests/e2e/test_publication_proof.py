"""The public side of the publication's tree over HTTP: the root on the plan, a result's proof (verifiable with
the standard library), corrections with their reasons; a corrupted audit row is a 409 naming it, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update

from spotcheck.api import create_app
from spotcheck.config import Settings
from spotcheck.services import corrections
from spotcheck.store.ledger import AuditRow
from spotcheck.store.quarter import ResultRow
from spotcheck.store.uow import UnitOfWork
from tests.accounts import issue
from tests.integration.test_publication_tree import published, verify_proof

UowFactory = Callable[[], UnitOfWork]


def client_for(uow_factory: UowFactory) -> tuple[TestClient, dict[str, str]]:
    auth = issue(uow_factory, "lead-scjg", "lead", department="SCJG")
    app = create_app(Settings(), uow_factory=uow_factory)
    return TestClient(app, raise_server_exceptions=False), auth


def test_the_public_gets_the_root_and_a_proof_that_fails_once_the_result_is_altered(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id, done, result = published(uow_factory, tmp_path)
    client, _ = client_for(uow_factory)
    plan = client.get(f"/api/public/plans/{plan_id}").json()
    assert plan["tree_root"] == done["tree"]["root"] and plan["tree_size"] == done["tree"]["size"]
    listed = client.get(f"/api/public/plans/{plan_id}/results?limit=500").json()["data"]
    assert result.id in {r["id"] for r in listed}
    proof = client.get(f"/api/public/results/{result.id}/proof")
    assert proof.status_code == 200 and verify_proof(proof.json())
    assert client.get("/api/public/results/999999/proof").status_code == 404
    with uow_factory() as uow:
        uow.session.execute(update(ResultRow).where(ResultRow.id == result.id).values(findings="篡改"))
        uow.commit()
    assert not verify_proof(client.get(f"/api/public/results/{result.id}/proof").json())


def test_corrections_are_public_with_their_reason(uow_factory: UowFactory, tmp_path: Path) -> None:
    plan_id, _, result = published(uow_factory, tmp_path)
    fixed = corrections.correct_result(uow_factory(), plan_id, result.visit_id, result.department, "corrected",
                                       reason="录入错误", actor="reviewer")  # fmt: skip
    client, _ = client_for(uow_factory)
    body = client.get(f"/api/public/plans/{plan_id}/corrections").json()
    assert body["count"] == 1 and body["data"][0]["reason"] == "录入错误"
    assert body["data"][0]["replaces"] == result.id and body["data"][0]["result"] == fixed["result"]
    listed = client.get(f"/api/public/plans/{plan_id}/results?limit=500").json()["data"]
    now = [r for r in listed if r["visit_id"] == result.visit_id and r["department"] == result.department]
    assert [r["id"] for r in now] == [fixed["result"]]  # the public sees the current version
    assert verify_proof(client.get(f"/api/public/results/{fixed['result']}/proof").json())


def test_a_corrupted_audit_row_is_a_409_naming_it_and_the_public_page_still_answers(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id, _, _ = published(uow_factory, tmp_path)
    with uow_factory() as uow:
        uow.session.execute(update(AuditRow).where(AuditRow.seq == 3).values(payload="{broken"))
        uow.commit()
    client, regulator = client_for(uow_factory)
    audit = client.get("/api/regulator/audit", headers=regulator)
    assert audit.status_code == 409 and "seq 3" in audit.json()["message"]
    assert client.get(f"/api/public/plans/{plan_id}").status_code == 200
    page = client.get(f"/plans/{plan_id}")
    assert page.status_code == 200 and "Published data root" in page.text
