"""A department's results entered and approved together (``services.results_batch``): the same versions and
audit entries as one by one, checked the same way, all or nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from spotcheck.domain.categories import ReviewState
from spotcheck.domain.errors import Forbidden, InvalidTransition, ValidationError
from spotcheck.services import inspection, publication, results
from spotcheck.services.results_batch import Entry, approve_results, record_results
from spotcheck.store import UnitOfWork
from spotcheck.store.quarter import ResultRow
from tests.integration.test_quarter_publication import END, in_inspection

UowFactory = Callable[[], UnitOfWork]


def _owed(uow_factory: UowFactory, plan_id: int) -> dict[str, list[str]]:
    by_department: dict[str, list[str]] = defaultdict(list)
    for due in results.deadlines(uow_factory(), plan_id, today=END):
        by_department[due.department].append(due.visit)
    return dict(by_department)


def test_batches_write_one_version_and_one_audit_entry_per_result_and_publish(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id, _ = in_inspection(uow_factory, tmp_path)
    owed = _owed(uow_factory, plan_id)
    with uow_factory() as uow:
        before = uow.audit.head()
    assert before is not None
    for department, visits in sorted(owed.items()):
        entries = [Entry(v, "corrected" if n == 0 else "no_problem", "整改") for n, v in enumerate(visits)]
        entered = record_results(
            uow_factory(), plan_id, department, entries, actor_department=department, actor="i"
        )
        assert entered == len(visits)
        assert approve_results(uow_factory(), plan_id, department, visits, actor="r") == len(visits)
    total = sum(len(v) for v in owed.values())
    with uow_factory() as uow:
        rows = uow.session.execute(select(ResultRow.version, ResultRow.state)).all()
        logged = uow.audit.entries(after=before.seq)
    assert sorted((version, state) for version, state in rows) == sorted(
        [(1, ReviewState.PENDING.value)] * total + [(2, ReviewState.APPROVED.value)] * total
    )
    first = min(owed)
    assert [e.action for e in logged] == [
        a for d in sorted(owed) for a in ["result"] * len(owed[d]) + ["review"] * len(owed[d])
    ]
    assert logged[0].payload == {
        "plan": plan_id,
        "visit": owed[first][0],
        "department": first,
        "category": "corrected",
        "version": 1,
    }
    assert logged[len(owed[first])].payload == {
        "plan": plan_id,
        "visit": owed[first][0],
        "department": first,
        "decision": "approve",
    }
    inspection.close_inspection(uow_factory(), plan_id, actor="planner")
    assert publication.publish(uow_factory(), plan_id, actor="planner")["results"] == total
    publication.verify_audit(uow_factory())  # the chain holds: each entry's hash covers the previous one


def test_a_batch_is_refused_whole_naming_the_result(uow_factory: UowFactory, tmp_path: Path) -> None:
    plan_id, _ = in_inspection(uow_factory, tmp_path)
    owed = _owed(uow_factory, plan_id)
    department, visits = min(owed.items(), key=lambda named: (len(named[1]), named[0]))
    other = next(d for d in owed if d != department)
    entries = [Entry(v, "no_problem") for v in visits]
    with pytest.raises(Forbidden, match="谁检查、谁录入"):
        record_results(uow_factory(), plan_id, department, entries, actor_department=other, actor="x")
    stranger = next(v for vs in owed.values() for v in vs if v not in visits)
    with pytest.raises(ValidationError, match=f"{department} has no inspection on visit {stranger}"):
        record_results(
            uow_factory(), plan_id, department, [*entries, Entry(stranger, "no_problem")],
            actor_department=department, actor="x",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="unknown result category"):
        record_results(
            uow_factory(),
            plan_id,
            department,
            [Entry(visits[0], "fine")],
            actor_department=department,
            actor="x",
        )
    with pytest.raises(ValidationError, match="named twice"):
        record_results(
            uow_factory(),
            plan_id,
            department,
            [entries[0], entries[0]],
            actor_department=department,
            actor="x",
        )
    with pytest.raises(ValidationError, match=f"no result for visit {visits[0]}"):
        approve_results(uow_factory(), plan_id, department, visits[:1], actor="r")
    with uow_factory() as uow:
        assert uow.session.execute(select(ResultRow)).first() is None  # nothing of a refused batch is kept


def test_a_returned_result_is_entered_again_in_a_batch_and_an_approved_one_is_not(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    plan_id, _ = in_inspection(uow_factory, tmp_path)
    department, visits = min(_owed(uow_factory, plan_id).items())
    record_results(
        uow_factory(),
        plan_id,
        department,
        [Entry(visits[0], "no_problem")],
        actor_department=department,
        actor="x",
    )
    results.review(uow_factory(), plan_id, visits[0], department, approve=False, reason="照片缺失", actor="r")
    record_results(
        uow_factory(),
        plan_id,
        department,
        [Entry(visits[0], "corrected")],
        actor_department=department,
        actor="x",
    )
    approve_results(uow_factory(), plan_id, department, visits[:1], actor="r")
    with uow_factory() as uow:
        newest = results.latest_results(uow, plan_id)[(visits[0], department)]
        assert (newest.version, newest.state, newest.category) == (4, ReviewState.APPROVED.value, "corrected")
    with pytest.raises(InvalidTransition):
        approve_results(uow_factory(), plan_id, department, visits[:1], actor="r")
