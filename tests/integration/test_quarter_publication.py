"""From the draw to publication on SQLite and PostgreSQL: assignments, results by their own department, review,
the publication clock, reveals (a missing one blocks publication), the credit feed, redraws, the audit chain
(tampering detected) and what the public sees before and after."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from spotcheck.credit.feed import read_feed
from spotcheck.domain.categories import ReviewState
from spotcheck.domain.errors import Forbidden, InvalidTransition, ValidationError, VerificationError
from spotcheck.domain.lifecycle import PlanState
from spotcheck.evidence.ceremony import check_seed
from spotcheck.ingest.city import read_plan
from spotcheck.queries import assignments
from spotcheck.queries.visits import visits
from spotcheck.services import draws, inspection, plans, publication, redraws, results, seeding
from spotcheck.store import UnitOfWork, import_folder
from spotcheck.store.ledger import AuditRow
from spotcheck.store.quarter import AssignmentRow, CommitmentRow, DrawRow, VisitRow
from tests.ceremony_steps import freeze_named, hand_in_all, secret_for, seed_with_beacon
from tests.conftest import write_tiny_city

UowFactory = Callable[[], UnitOfWork]
BEGIN, END = date(2026, 1, 5), date(2026, 2, 6)  # results due 2026-03-12 (Spring Festival, make-up Saturdays)


def city_with_enough_officers(tmp_path: Path) -> Path:
    folder = write_tiny_city(tmp_path / "city", firms=60)
    with (folder / "inspectors.csv").open("a", encoding="utf-8") as handle:
        for department, fields in (("SCJG", "market;quality"), ("XF", "fire"), ("STHJ", "environment")):
            for n in range(4):
                handle.write(
                    f"{department}-C{n},市级{department}{n},{department},city,C{department}{n:04d},{fields},40,1\n"
                )
    return folder


def drawn_plan(uow_factory: UowFactory, tmp_path: Path) -> tuple[int, dict[str, str]]:
    folder = city_with_enough_officers(tmp_path)
    import_folder(uow_factory(), folder)
    plan_id = plans.create_plan(uow_factory(), read_plan(folder / "plan.json"), actor="planner")
    departments = plans.plan_status(uow_factory(), plan_id).participants
    secrets = {d: secret_for("publication", d) for d in departments}
    for department, secret in secrets.items():
        seeding.commit_secret(uow_factory(), plan_id, department, secret, actor=department)
    freeze_named(uow_factory, plan_id, date(2025, 12, 20))
    seed_with_beacon(uow_factory, plan_id, "26001 07 15 22")
    hand_in_all(uow_factory, plan_id, secrets)
    draws.run_draw(uow_factory(), plan_id, actor="planner")
    return plan_id, secrets


def in_inspection(uow_factory: UowFactory, tmp_path: Path) -> tuple[int, dict[str, str]]:
    plan_id, secrets = drawn_plan(uow_factory, tmp_path)
    inspection.run_assign(uow_factory(), plan_id, actor="planner")
    inspection.start_inspection(uow_factory(), plan_id, begin=BEGIN, end=END, actor="planner")
    return plan_id, secrets


def enter_and_approve_all(uow_factory: UowFactory, plan_id: int) -> int:
    owed = results.deadlines(uow_factory(), plan_id, today=END)
    for n, due in enumerate(owed):
        code = "unreachable" if n == 0 else "no_problem"
        results.record_result(
            uow_factory(),
            plan_id,
            due.visit,
            due.department,
            code,
            actor_department=due.department,
            actor="i",
        )
        results.review(uow_factory(), plan_id, due.visit, due.department, approve=True, actor="reviewer")
    return len(owed)


def test_a_department_records_only_its_own_results_and_review_returns_them(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id, _ = in_inspection(uow_factory, tmp_path)
    due = results.deadlines(uow_factory(), plan_id, today=END)[0]
    other = "XF" if due.department != "XF" else "SCJG"
    with pytest.raises(Forbidden, match="谁检查、谁录入"):
        results.record_result(uow_factory(), plan_id, due.visit, due.department, "no_problem",
                              actor_department=other, actor="x")  # fmt: skip
    with pytest.raises(ValidationError, match="unknown result category"):
        results.record_result(uow_factory(), plan_id, due.visit, due.department, "fine",
                              actor_department=due.department, actor="x")  # fmt: skip
    results.record_result(uow_factory(), plan_id, due.visit, due.department, "未发现问题",
                          actor_department=due.department, actor="x")  # fmt: skip
    with pytest.raises(ValidationError, match="needs a reason"):
        results.review(uow_factory(), plan_id, due.visit, due.department, approve=False, actor="r")
    after = results.review(
        uow_factory(), plan_id, due.visit, due.department, approve=False, reason="照片缺失", actor="r"
    )
    assert after is ReviewState.RETURNED
    with pytest.raises(InvalidTransition, match="审核退回"):
        results.review(uow_factory(), plan_id, due.visit, due.department, approve=True, actor="r")
    version = results.record_result(uow_factory(), plan_id, due.visit, due.department, "corrected",
                                    actor_department=due.department, actor="x")  # fmt: skip
    assert version == 3  # entered, returned, entered again: every step a new version


def test_the_publication_clock_lists_overdue_results_across_spring_festival(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id, _ = in_inspection(uow_factory, tmp_path)
    owed = results.deadlines(uow_factory(), plan_id, today=date(2026, 3, 12))
    assert owed and all(d.due is not None and d.due.due == date(2026, 3, 12) for d in owed)
    assert not any(d.overdue for d in owed)
    late = results.deadlines(uow_factory(), plan_id, today=date(2026, 3, 13), only_overdue=True)
    assert len(late) == len(owed)


def test_the_whole_quarter_publishes_with_reveals_feed_and_audit_head(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id, secrets = in_inspection(uow_factory, tmp_path)
    before = publication.public_view(uow_factory(), plan_id)
    assert "visits" not in before and "record" not in before and before["snapshot_digest"]
    assert set(before["commitments"]) == set(secrets) and not before["published"]
    owed = enter_and_approve_all(uow_factory, plan_id)
    with pytest.raises(InvalidTransition, match="cannot reveal: the plan is in_inspection"):
        seeding.reveal(uow_factory(), plan_id, "XF", secrets["XF"], actor="XF")
    inspection.close_inspection(uow_factory(), plan_id, actor="planner")
    with pytest.raises(VerificationError, match="does not match"):
        seeding.reveal(uow_factory(), plan_id, "XF", secret_for("wrong"), actor="XF")
    for department in sorted(secrets)[:-1]:  # v2: the handed-in secrets; revealing again changes nothing
        seeding.reveal(uow_factory(), plan_id, department, secrets[department], actor=department)
    last = max(secrets)
    with uow_factory() as uow:  # as for a plan drawn under ceremony v1, whose secrets come only at reveal
        row = uow.session.execute(
            select(CommitmentRow).where(CommitmentRow.plan_id == plan_id, CommitmentRow.department == last)
        ).scalar_one()
        row.secret = None
        uow.commit()
    with pytest.raises(InvalidTransition, match=f"blocked: no reveal from {last}"):
        publication.publish(uow_factory(), plan_id, actor="planner")
    with uow_factory() as uow:
        assert uow.audit.entries()[-1].action == "publish_blocked"  # the refusal itself is on record
    assert plans.plan_status(uow_factory(), plan_id).state is PlanState.RESULTS
    seeding.reveal(uow_factory(), plan_id, last, secrets[last], actor=last)
    done = publication.publish(uow_factory(), plan_id, actor="planner")
    assert done["results"] == owed
    with pytest.raises(InvalidTransition, match="the plan is published"):
        publication.publish(uow_factory(), plan_id, actor="planner")
    view = publication.public_view(uow_factory(), plan_id)
    assert view["published"] and view["audit_head"] == done["audit_head"] and view["reveals"] == secrets
    check_seed(view["record"]["seed"])
    assert len(view["visits"]) == len(view["record"]["visits"])
    head, _ = publication.verify_audit(uow_factory(), published=done["audit_head"])
    assert head == done["audit_head"]
    assert publication.verify_plan(uow_factory(), plan_id)["record"] == done["record"]

    first = read_feed(uow_factory(), after=0, limit=owed - 1)
    retry = read_feed(uow_factory(), after=0, limit=owed - 1)
    assert first == retry  # a retry with the same cursor gets the same entries
    rest = read_feed(uow_factory(), after=first.next_cursor, limit=100)
    seen = [e["cursor"] for e in first.entries + rest.entries]
    assert len(seen) == len(set(seen)) == owed
    assert read_feed(uow_factory(), after=rest.next_cursor).entries == []
    flagged = [e for e in first.entries + rest.entries if e["category"] == "unreachable"]
    assert len(flagged) == 1 and "abnormal_list" in flagged[0]["flags"]


@pytest.mark.parametrize("column", ["payload", "actor", "action", "prev_hash", "hash"])
def test_tampering_with_any_audit_entry_is_detected(
    uow_factory: UowFactory, tmp_path: Path, column: str
) -> None:
    in_inspection(uow_factory, tmp_path)
    _, entries = publication.verify_audit(uow_factory())
    assert entries >= 8
    with uow_factory() as uow:
        value = {"payload": '{"plan":999}', "actor": "intruder", "action": "nothing"}.get(column, "f" * 64)
        uow.session.execute(update(AuditRow).where(AuditRow.seq == 4).values({column: value}))
        uow.commit()
    with pytest.raises(VerificationError, match="seq [45]"):
        publication.verify_audit(uow_factory())


def test_a_removed_audit_entry_is_named(uow_factory: UowFactory, tmp_path: Path) -> None:
    in_inspection(uow_factory, tmp_path)
    with uow_factory() as uow:
        uow.session.execute(AuditRow.__table__.delete().where(AuditRow.seq == 3))
        uow.commit()
    with pytest.raises(VerificationError, match="has seq 4, expected 3"):
        publication.verify_audit(uow_factory())


def test_redraws_are_appended_and_keep_the_original(uow_factory: UowFactory, tmp_path: Path) -> None:
    plan_id, _ = in_inspection(uow_factory, tmp_path)
    with uow_factory() as uow:
        record = draws.draw_record(uow, plan_id)
        visit = next(v for v in record["visits"] if v["tier"] == "B")
        team = (
            uow.session.execute(select(AssignmentRow).where(AssignmentRow.visit_id == visit["id"]))
            .scalars()
            .all()
        )
        department, officer = team[0].department, team[0].inspector_id
    with pytest.raises(ValidationError, match="reason"):
        redraws.redraw_firm(uow_factory(), plan_id, visit["id"], reason=" ", actor="planner")
    new_visit = redraws.redraw_firm(uow_factory(), plan_id, visit["id"], reason="已关闭停业", actor="planner")

    def every_row(uow: UnitOfWork) -> dict[int, tuple[str, str, str, bool, int | None]]:
        rows = uow.session.execute(select(AssignmentRow)).scalars()
        return {a.id: (a.visit_id, a.department, a.inspector_id, a.leader, a.superseded_by) for a in rows}

    with uow_factory() as uow:
        before = every_row(uow)
    replacement = redraws.redraw_officer(uow_factory(), plan_id, visit["id"], department, officer,
                                         reason="病假", actor="planner")  # fmt: skip
    assert replacement != officer
    with uow_factory() as uow:
        ids = set(uow.session.execute(select(VisitRow.id).where(VisitRow.plan_id == plan_id)).scalars())
        redrawn = [(r.seq, r.record) for r in uow.draws.for_plan(plan_id) if r.kind == "redraw"]
        redraw_id = next(r.id for r in uow.draws.for_plan(plan_id) if r.kind == "redraw" and r.seq == 2)
        team_now = set(
            uow.session.execute(
                select(AssignmentRow.inspector_id).where(
                    AssignmentRow.visit_id == visit["id"],
                    AssignmentRow.department == department,
                    AssignmentRow.current(),
                )
            ).scalars()
        )
        after = every_row(uow)
        listed = visits(uow, plan_id, with_officers=True, limit=10_000)[0]
        shown = next(v.officers for v in listed if v.id == visit["id"])
        own = {a.visit_id for a in assignments.assignments(uow, officer)}  # the inspector's own visits page
        assert draws.draw_record(uow, plan_id) == record  # the draw itself is untouched
    assert {visit["id"], new_visit} <= ids and [seq for seq, _ in redrawn] == [1, 2]
    assert replacement in team_now and officer not in team_now
    old = next(k for k, row in before.items() if row[:3] == (visit["id"], department, officer))
    assert after[old] == (*before[old][:4], redraw_id)  # kept, marked with the redraw that replaced it
    assert {k: row for k, row in after.items() if k != old and k in before} == {
        k: row for k, row in before.items() if k != old
    }  # no other team changed
    assert f"{department}:{replacement}" in shown and f"{department}:{officer}" not in shown
    assert visit["id"] not in own
    with uow_factory() as uow:  # verify recomputes both redraws from the record and the frozen inputs
        assert redraws.check_plan_redraws(uow, plan_id, draws.draw_record(uow, plan_id)) == 2  # firm, officer
        stored = uow.session.get(DrawRow, redraw_id)
        assert stored is not None
        entry = json.loads(stored.record)
        entry["replacement"]["officer"] = officer  # tampered: the record claims someone else was drawn
        stored.record = json.dumps(entry)
        uow.session.flush()
        with pytest.raises(VerificationError, match="redraw 2"):
            redraws.check_plan_redraws(uow, plan_id, draws.draw_record(uow, plan_id))
    assert "已关闭停业" in redrawn[0][1] and "病假" in redrawn[1][1]


def test_a_firm_redraw_adds_one_visit_and_audit_plan_recomputes_it(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id, _ = in_inspection(uow_factory, tmp_path)

    def visit_rows(uow: UnitOfWork) -> dict[str, tuple[object, ...]]:
        rows = uow.session.execute(select(VisitRow).where(VisitRow.plan_id == plan_id)).scalars()
        return {
            v.id: (v.uscc, v.district, v.lead, v.departments, v.items, v.joint, v.window_start, v.window_end)
            for v in rows
        }

    def team_rows(uow: UnitOfWork) -> dict[int, tuple[str, str, str, bool, int | None]]:
        rows = uow.session.execute(select(AssignmentRow)).scalars()
        return {a.id: (a.visit_id, a.department, a.inspector_id, a.leader, a.superseded_by) for a in rows}

    with uow_factory() as uow:
        record = draws.draw_record(uow, plan_id)
        visits_before, teams_before = visit_rows(uow), team_rows(uow)
    first, second = [v for v in record["visits"] if v["tier"] == "B"][:2]
    new_first = redraws.redraw_firm(uow_factory(), plan_id, first["id"], reason="已关闭", actor="planner")
    new_second = redraws.redraw_firm(uow_factory(), plan_id, second["id"], reason="已迁出", actor="planner")
    with uow_factory() as uow:
        visits_after, teams_after = visit_rows(uow), team_rows(uow)
        entries = [json.loads(r.record) for r in uow.draws.for_plan(plan_id) if r.kind == "redraw"]
        assert draws.draw_record(uow, plan_id) == record
    assert {k: visits_after[k] for k in visits_before} == visits_before  # no other visit changed
    assert {k: teams_after[k] for k in teams_before} == teams_before  # no team changed
    assert set(visits_after) - set(visits_before) == {new_first, new_second}
    for old, new in ((first, new_first), (second, new_second)):
        assert visits_after[new][2:6] == visits_before[old["id"]][2:6]  # lead, departments, items, joint
        copied = sorted(row[1:4] for row in teams_after.values() if row[0] == new)
        assert copied == sorted(row[1:4] for row in teams_before.values() if row[0] == old["id"])
    assert entries[1]["replacement"]["uscc"] != entries[0]["replacement"]["uscc"]
    with uow_factory() as uow:
        assert redraws.check_plan_redraws(uow, plan_id, draws.draw_record(uow, plan_id)) == 2
    enter_and_approve_all(uow_factory, plan_id)
    inspection.close_inspection(uow_factory(), plan_id, actor="planner")
    publication.publish(uow_factory(), plan_id, actor="planner")
    assert publication.verify_plan(uow_factory(), plan_id)["visits"] == len(record["visits"])  # audit plan
    with uow_factory() as uow:  # the stored replacement is edited: audit plan names the redraw
        row = next(r for r in uow.draws.for_plan(plan_id) if r.kind == "redraw" and r.seq == 1)
        entry = json.loads(row.record)
        entry["replacement"]["lottery"] = "1"
        row.record = json.dumps(entry)
        uow.commit()
    with pytest.raises(VerificationError, match=f"redraw 1 \\(firm of visit {first['id']},"):
        publication.verify_plan(uow_factory(), plan_id)


def test_a_firm_is_replaced_only_after_the_inspector_draw(uow_factory: UowFactory, tmp_path: Path) -> None:
    plan_id, _ = drawn_plan(uow_factory, tmp_path)
    with uow_factory() as uow:
        visit = draws.draw_record(uow, plan_id)["visits"][0]["id"]
    with pytest.raises(InvalidTransition, match="before its inspector draw"):
        redraws.redraw_firm(uow_factory(), plan_id, visit, reason="已关闭", actor="planner")
