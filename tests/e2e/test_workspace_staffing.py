"""The staffing page: the teams the inspector draw cannot staff, each with its blocking rule and suggested fix;
the lead's decisions with a reason each (a decision without one is refused); the draw with them; then an
officer replaced with a reason. A department account sees the page but takes no decision."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spotcheck.api import create_app
from spotcheck.config import Settings
from spotcheck.services import draws, staffing
from spotcheck.services.plans import plan_status
from spotcheck.store.quarter import AssignmentRow
from spotcheck.store.uow import UnitOfWork
from tests.accounts import add_account
from tests.e2e.workspace import finished, signed_in
from tests.integration.test_quarter_draw import seeded_plan


def test_the_lead_decides_on_unstaffable_teams_with_reasons(
    uow_factory: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    plan_id, _, _ = seeded_plan(uow_factory, tmp_path)  # frozen with unstaffable = refuse (the default)
    draws.run_draw(uow_factory(), plan_id, actor="planner")
    with uow_factory() as uow:
        add_account(uow, "li", "lead", department="SCJG")
        add_account(uow, "zhao", "department", department="XF")
        uow.commit()
    expected = staffing.staffing(uow_factory(), plan_id).problems
    assert expected  # this city leaves some teams unstaffable
    app = create_app(Settings(), uow_factory=uow_factory)
    lead = signed_in(app, "li")
    base = f"/regulator/plans/{plan_id}/staffing"

    page = lead.get(base).text
    assert f'id="problem-count">{len(expected)}<' in page
    for problem in expected:
        assert problem["rule"] in page and problem["fix"] in page
    department = signed_in(app, "zhao")
    assert (
        'id="problem-count"' in department.get(base).text and "decide-form" not in department.get(base).text
    )

    rows: dict[str, str] = {}
    for n, problem in enumerate(expected):
        rows |= {f"visit_{n}": problem["visit"], f"department_{n}": problem["department"]}
        rows |= {f"action_{n}": "defer", f"reason_{n}": ""}
    refused = lead.post(f"{base}/decide", data={**rows, "intent": "assign"})
    assert refused.status_code == 422 and "reason" in refused.text  # every decision needs a reason
    rows |= {f"reason_{n}": "该企业需跨区执法，下季度安排" for n in range(len(expected))}
    preview = lead.post(f"{base}/decide", data={**rows, "intent": "preview"})
    assert preview.status_code == 200 and 'id="problem-count">0<' in preview.text
    assert plan_status(uow_factory(), plan_id).state == "drawn"  # a preview stores nothing
    done = lead.post(f"{base}/decide", data={**rows, "intent": "assign"}, follow_redirects=False)
    assert done.status_code == 303
    assert 'role="alert"' not in finished(lead, done.headers["location"])
    assert plan_status(uow_factory(), plan_id).state == "assigned"
    taken = lead.get(base).text
    assert taken.count("该企业需跨区执法，下季度安排") == len(expected)  # each decision, with its reason
    assert "user#1:li" in taken  # who decided

    with uow_factory() as uow:
        seat = uow.session.query(AssignmentRow).filter(AssignmentRow.current()).first()
        assert seat is not None
        visit, dept, officer = seat.visit_id, seat.department, seat.inspector_id
    form = {"visit": visit, "department": dept, "officer": officer}
    assert lead.post(f"{base}/replace", data={**form, "reason": " "}).status_code == 422
    replaced = lead.post(f"{base}/replace", data={**form, "reason": "病假 ill"}, follow_redirects=False)
    assert replaced.status_code in (303, 409), replaced.text  # 409 only when nobody eligible is left
    if replaced.status_code == 303:
        with uow_factory() as uow:
            team = uow.session.query(AssignmentRow).filter(
                AssignmentRow.visit_id == visit, AssignmentRow.department == dept, AssignmentRow.current()
            )
            assert officer not in {a.inspector_id for a in team}
