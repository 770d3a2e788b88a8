"""Unit of Work and the small repositories on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from spotcheck.domain.errors import InvalidTransition, NotFound, ValidationError, VerificationError
from spotcheck.domain.model import Plan
from spotcheck.ingest import load_city
from spotcheck.services import plans, seeding
from spotcheck.store import UnitOfWork, import_folder
from spotcheck.store.base import utcnow
from spotcheck.store.ledger import AuditRow
from tests.accounts import add_account
from tests.ceremony_steps import freeze_named, secret_for

UowFactory = Callable[[], UnitOfWork]


def test_nothing_is_kept_without_commit(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.directory.insert("departments", [{"code": "SCJG", "name": "市场监管", "name_en": ""}])
        assert uow.directory.count("departments") == 1
    with uow_factory() as uow:
        assert uow.directory.count("departments") == 0


def stored_plan(uow_factory: UowFactory, city_dir: Path) -> tuple[int, Plan]:
    """The city imported and its plan stored as a draft: (plan id, plan)."""
    import_folder(uow_factory(), city_dir)
    plan = load_city(city_dir).plan
    assert plan is not None
    with uow_factory() as uow:
        plan_id = uow.plans.add(plan).id
        uow.commit()
    return plan_id, plan


def test_plan_round_trip_and_guarded_state(uow_factory: UowFactory, tiny_city_dir: Path) -> None:
    plan_id, plan = stored_plan(uow_factory, tiny_city_dir)
    with uow_factory() as uow:
        assert uow.plans.plan(plan_id) == plan
        with pytest.raises(NotFound):
            uow.plans.get(plan_id + 1)
    # The state moves only through the lifecycle's use cases, each guarded by the state it needs.
    for department in plans.plan_status(uow_factory(), plan_id).participants:
        seeding.commit_secret(
            uow_factory(), plan_id, department, secret_for("repo", department), actor=department
        )
    freeze_named(uow_factory, plan_id, date(2025, 12, 20))
    with uow_factory() as uow:
        assert uow.plans.get(plan_id).state == "frozen"
    with pytest.raises(InvalidTransition, match="cannot freeze: the plan is frozen"):
        freeze_named(uow_factory, plan_id, date(2025, 12, 20))
    with pytest.raises(InvalidTransition, match="cannot commit: the plan is frozen"):
        seeding.commit_secret(uow_factory(), plan_id, "XF", secret_for("repo", "other"), actor="XF")
    with uow_factory() as uow:
        assert uow.plans.get(plan_id).state == "frozen"


def test_a_second_draw_with_the_same_seq_cannot_land(uow_factory: UowFactory, tiny_city_dir: Path) -> None:
    plan_id, _ = stored_plan(uow_factory, tiny_city_dir)
    with uow_factory() as uow:
        uow.draws.add(plan_id, "draw", uow.draws.next_seq(plan_id, "draw"), "{}", "0" * 64)
        uow.commit()
    with uow_factory() as first, uow_factory() as second:
        assert first.draws.next_seq(plan_id, "draw") == second.draws.next_seq(plan_id, "draw") == 2
        first.draws.add(plan_id, "draw", 2, "{}", "1" * 64)
        first.commit()
        with pytest.raises((InvalidTransition, ValidationError)):
            second.draws.add(plan_id, "draw", 2, "{}", "2" * 64)
            second.commit()
    with uow_factory() as uow:
        assert [(d.kind, d.seq) for d in uow.draws.for_plan(plan_id)] == [("draw", 1), ("draw", 2)]
        with pytest.raises(InvalidTransition, match="already has draw #1"):
            uow.draws.add(plan_id, "draw", 1, "{}", "3" * 64)
        uow.draws.add(plan_id, "redraw", 1, "{}", "4" * 64)  # the session is still usable after the refusal
        uow.commit()


def test_draws_take_the_record_with_officers_and_refuse_other_kinds(
    uow_factory: UowFactory, tiny_city_dir: Path
) -> None:
    plan_id, _ = stored_plan(uow_factory, tiny_city_dir)
    with uow_factory() as uow:
        uow.draws.add(plan_id, "assign", 1, "{}", "5" * 64)
        with pytest.raises(ValidationError, match="draw kind must be one of draw, redraw, assign"):
            uow.draws.add(plan_id, "officers", 1, "{}", "6" * 64)
        with pytest.raises(InvalidTransition, match="already has assign #1"):
            uow.draws.add(plan_id, "assign", 1, "{}", "7" * 64)
        uow.commit()
    with uow_factory() as uow:
        assert [(d.kind, d.seq) for d in uow.draws.for_plan(plan_id)] == [("assign", 1)]


def test_audit_chain_appends_and_detects_tampering(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.audit.append(at="2026-01-05T09:00:00Z", action="freeze", actor="SCJG", payload={"digest": "ab"})
        head = uow.audit.append(at="2026-01-05T09:05:00Z", action="draw", actor="SCJG", payload={"visits": 3})
        uow.commit()
    with uow_factory() as uow:
        assert (
            uow.audit.verify() == head.hash
            and head.seq == 2
            and head.prev_hash == uow.audit.entries()[0].hash
        )
        row = uow.session.query(AuditRow).filter_by(seq=1).one()
        row.payload = '{"digest":"cd"}'
        uow.session.flush()
        with pytest.raises(VerificationError, match="seq 1"):
            uow.audit.verify()


def test_tokens_keep_only_a_hash_and_can_be_revoked(uow_factory: UowFactory, tiny_city_dir: Path) -> None:
    now = utcnow()
    import_folder(uow_factory(), tiny_city_dir)  # the officer must exist
    with uow_factory() as uow:
        user = add_account(uow, "scjg001", "inspector", officer="SCJG-001")
        token, row = uow.tokens.issue(user, expires=now + timedelta(days=1))
        uow.commit()
    assert token not in row.token_hash and len(row.token_hash) == 64
    with uow_factory() as uow:
        found = uow.tokens.find(token, now=now)
        assert found is not None and (found.role, found.subject) == ("inspector", "scjg001")
        assert uow.tokens.find(token + "x", now=now) is None
        assert uow.tokens.find(token, now=now + timedelta(days=1)) is None  # expired
        uow.tokens.revoke(found.id, now=now)
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.find(token, now=now) is None
        with pytest.raises(NotFound):
            uow.tokens.revoke(10**6, now=now)
