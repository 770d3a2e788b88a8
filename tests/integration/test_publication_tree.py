"""Published data bound to the chain, on SQLite and PostgreSQL: each kind of tampering with a published plan is
named by `audit verify` (service and command line); a result's inclusion proof verifies, and fails once the
result is altered; a correction extends the tree and keeps the original; a corrupted audit row is named."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from spotcheck.cli import app
from spotcheck.credit.feed import read_feed
from spotcheck.domain.categories import ReviewState
from spotcheck.domain.errors import NotFound, ValidationError, VerificationError
from spotcheck.services import corrections, inspection, publication, seeding
from spotcheck.services.publication_tree import result_proof
from spotcheck.store import UnitOfWork
from spotcheck.store.ledger import AuditRow, FeedRow
from spotcheck.store.publication import LeafRow
from spotcheck.store.quarter import ResultRow, VisitRow
from tests.conftest import REAL_CODES
from tests.integration.test_quarter_publication import enter_and_approve_all, in_inspection

UowFactory = Callable[[], UnitOfWork]


def published(uow_factory: UowFactory, tmp_path: Path) -> tuple[int, dict[str, Any], ResultRow]:
    """A published plan, its publication answer and one of its published results."""
    plan_id, secrets = in_inspection(uow_factory, tmp_path)
    enter_and_approve_all(uow_factory, plan_id)
    inspection.close_inspection(uow_factory(), plan_id, actor="planner")
    for department, secret in secrets.items():
        seeding.reveal(uow_factory(), plan_id, department, secret, actor=department)
    done = publication.publish(uow_factory(), plan_id, actor="planner")
    with uow_factory() as uow:
        result = (
            uow.session.execute(
                select(ResultRow).where(ResultRow.state == ReviewState.PUBLISHED.value).order_by(ResultRow.id)
            )
            .scalars()
            .first()
        )
        assert result is not None
        copy = ResultRow(
            **{c: getattr(result, c) for c in ("id", "visit_id", "department", "version", "category")}
        )
    return plan_id, done, copy


def problems(uow_factory: UowFactory) -> str:
    with pytest.raises(VerificationError) as caught:
        publication.verify_audit(uow_factory())
    return str(caught.value)


def cli_verify(db_url: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", "verify"], env={"SPOTCHECK_DATABASE_URL": db_url})
    return result.exit_code, result.output


def verify_proof(proof: dict[str, Any]) -> bool:
    """docs/publication.md "Checking a result", as written there: standard library only."""
    fn, sn = proof["index"], proof["size"] - 1
    node = hashlib.sha256(b"\x00" + proof["leaf"].encode("utf-8")).digest()
    for sibling in map(bytes.fromhex, proof["path"]):
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            node = hashlib.sha256(b"\x01" + sibling + node).digest()
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = hashlib.sha256(b"\x01" + node + sibling).digest()
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and node.hex() == proof["root"]


def test_publication_puts_the_tree_root_in_its_audit_entry_and_on_the_public_view(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id, done, _ = published(uow_factory, tmp_path)
    with uow_factory() as uow:
        entry = uow.audit.entries()[-1]
        leaves = uow.session.execute(select(LeafRow.kind).where(LeafRow.plan_id == plan_id)).scalars().all()
    assert entry.action == "publish" and entry.payload["tree"] == done["tree"]
    assert done["tree"]["size"] == len(leaves) and {"visit", "team", "result"} == set(leaves)
    assert leaves.count("result") == done["results"]
    view = publication.public_view(uow_factory(), plan_id)
    assert view["tree"]["root"] == done["tree"]["root"] and view["tree"]["audit_seq"] == entry.seq
    assert publication.verify_audit(uow_factory())[0] == done["audit_head"]


TAMPERING = ["category", "findings", "visit_firm", "deleted_result", "feed_edited", "feed_deleted"]


@pytest.mark.parametrize("kind", TAMPERING)
def test_each_kind_of_tampering_is_named_by_audit_verify(
    uow_factory: UowFactory, db_url: str, tmp_path: Path, kind: str
) -> None:
    plan_id, _, result = published(uow_factory, tmp_path)
    name = f"result {result.id} (visit {result.visit_id}, {result.department}, version {result.version})"
    with uow_factory() as uow:
        feed = uow.session.execute(select(FeedRow).where(FeedRow.result_id == result.id)).scalar_one()
        if kind == "category":
            new = "follow_up" if result.category != "follow_up" else "no_problem"
            uow.session.execute(update(ResultRow).where(ResultRow.id == result.id).values(category=new))
            expected = f'published {name} was altered: category was "{result.category}", is "{new}"'
        elif kind == "findings":
            uow.session.execute(
                update(ResultRow).where(ResultRow.id == result.id).values(findings="全部合格")
            )
            expected = f"published {name} was altered: findings was"
        elif kind == "visit_firm":
            visit = uow.session.get(VisitRow, result.visit_id)
            assert visit is not None
            was = visit.uscc
            other = next(code for code in REAL_CODES if code != was)
            uow.session.execute(update(VisitRow).where(VisitRow.id == visit.id).values(uscc=other))
            expected = f'published visit {visit.id} was altered: uscc was "{was}", is "{other}"'
        elif kind == "deleted_result":
            uow.session.execute(delete(FeedRow).where(FeedRow.id == feed.id))  # its feed entry refers to it
            uow.session.execute(delete(ResultRow).where(ResultRow.id == result.id))
            expected = f"published {name} was deleted"
        elif kind == "feed_edited":
            payload = json.loads(feed.payload) | {"category": "no_problem", "flags": []}
            payload["category"] = "corrected" if result.category == "no_problem" else "no_problem"
            text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            uow.session.execute(update(FeedRow).where(FeedRow.id == feed.id).values(payload=text))
            expected = f"credit feed entry for {name} (cursor {feed.id}) was altered: fields category"
        else:
            uow.session.execute(delete(FeedRow).where(FeedRow.id == feed.id))
            expected = f"credit feed entry for {name} was deleted"
        uow.commit()
    message = problems(uow_factory)
    assert f"plan {plan_id}: {expected}" in message, message
    code, output = cli_verify(db_url)
    assert code == 1 and expected in output.replace("\n", ""), output


def test_a_row_added_to_a_published_plan_is_named(uow_factory: UowFactory, tmp_path: Path) -> None:
    _, _, result = published(uow_factory, tmp_path)
    with uow_factory() as uow:
        uow.session.add(
            ResultRow(visit_id=result.visit_id, department=result.department, version=result.version + 1,
                      category="info_false", findings="", state="published", recorded_by="intruder")
        )  # fmt: skip
        uow.commit()
    assert f"version {result.version + 1}) was added after publication" in problems(uow_factory)


def test_an_inclusion_proof_verifies_and_fails_for_an_altered_result(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    _, done, result = published(uow_factory, tmp_path)
    proof = result_proof(uow_factory(), result.id)
    assert proof["root"] == done["tree"]["root"] and proof["size"] == done["tree"]["size"]
    assert verify_proof(proof)
    assert json.loads(proof["leaf"])["id"] == result.id
    with uow_factory() as uow:
        uow.session.execute(update(ResultRow).where(ResultRow.id == result.id).values(category="no_activity"))
        uow.commit()
    altered = result_proof(uow_factory(), result.id)
    assert '"category":"no_activity"' in altered["leaf"] and not verify_proof(altered)


def test_a_correction_is_a_new_version_that_extends_the_tree(uow_factory: UowFactory, tmp_path: Path) -> None:
    plan_id, done, result = published(uow_factory, tmp_path)
    with pytest.raises(ValidationError, match="reason"):
        corrections.correct_result(uow_factory(), plan_id, result.visit_id, result.department, "corrected",
                                   reason=" ", actor="reviewer")  # fmt: skip
    fixed = corrections.correct_result(
        uow_factory(), plan_id, result.visit_id, result.department, "corrected", findings="已整改",
        reason="录入错误", actor="reviewer",
    )  # fmt: skip
    assert fixed["version"] == result.version + 1 and fixed["tree"]["size"] == done["tree"]["size"] + 1
    publication.verify_audit(uow_factory())  # the original and the correction both check
    assert verify_proof(result_proof(uow_factory(), fixed["result"]))
    assert verify_proof(result_proof(uow_factory(), result.id))  # the original stays on record
    [entry] = corrections.history(uow_factory(), plan_id)
    assert entry["reason"] == "录入错误" and entry["by"] == "reviewer" and entry["replaces"] == result.id
    feed = read_feed(uow_factory(), after=0, limit=1000).entries
    assert feed[-1]["category"] == "corrected" and feed[-1]["visit"] == result.visit_id
    with pytest.raises(NotFound):
        corrections.correct_result(uow_factory(), 999, result.visit_id, result.department, "corrected",
                                   reason="x", actor="r")  # fmt: skip


@pytest.mark.parametrize("corruption", ["bad_json", "not_object", "hash", "missing_seq"])
def test_a_corrupted_audit_row_is_named_not_a_crash(
    uow_factory: UowFactory, db_url: str, tmp_path: Path, corruption: str
) -> None:
    plan_id, _, _ = published(uow_factory, tmp_path)
    with uow_factory() as uow:
        target = AuditRow.seq == 5
        if corruption == "bad_json":
            uow.session.execute(update(AuditRow).where(target).values(payload='{"plan": 1,'))
        elif corruption == "not_object":
            uow.session.execute(update(AuditRow).where(target).values(payload="[1, 2]"))
        elif corruption == "hash":
            uow.session.execute(update(AuditRow).where(target).values(hash="0" * 64))
        else:
            uow.session.execute(delete(AuditRow).where(target))
        uow.commit()
    message = problems(uow_factory)
    assert "seq 5" in message or "expected 5" in message, message
    code, output = cli_verify(db_url)
    assert code == 1 and "Traceback" not in output and "error:" in output
    assert publication.public_view(uow_factory(), plan_id)["published"]
