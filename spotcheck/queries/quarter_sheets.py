"""A quarter's visits, teams and results as rows for a spreadsheet, every row (no page cut), for one department
or all: what the regulator exports (``web.workbooks``). Regulators only: unpublished results are included with
their review state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from spotcheck.domain.categories import CATEGORIES, ReviewState
from spotcheck.queries.visits import split
from spotcheck.services.results import latest_results
from spotcheck.store.tables import AssignmentRow, EnterpriseRow, InspectorRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["SHEETS", "Sheet", "quarter_sheets"]

_CATEGORY = {c.code: c.label_zh for c in CATEGORIES}
SHEETS = ("visits", "teams", "results")


@dataclass(frozen=True)
class Sheet:
    name: str  # the worksheet's title
    header: tuple[str, ...]
    rows: Iterator[tuple[object, ...]]


def _visits(uow: UnitOfWork, plan_id: int, department: str | None) -> list[tuple[VisitRow, str]]:
    query = (
        select(VisitRow, EnterpriseRow.name)
        .join(EnterpriseRow, EnterpriseRow.uscc == VisitRow.uscc)
        .where(VisitRow.plan_id == plan_id)
        .order_by(VisitRow.id)
    )
    rows = [(v, n) for v, n in uow.session.execute(query).all()]
    return [(v, n) for v, n in rows if department is None or department in split(v.departments)]


def quarter_sheets(uow: UnitOfWork, plan_id: int, *, department: str | None) -> list[Sheet]:
    """Three sheets (visits, teams, results) of ``plan_id``, of ``department`` only unless None."""
    uow.plans.get(plan_id)
    visits = _visits(uow, plan_id, department)
    ids = {v.id for v, _ in visits}
    visit_rows = [
        (
            v.id,
            v.uscc,
            n,
            v.district,
            v.lead,
            ";".join(split(v.departments)),
            ";".join(split(v.items)),
            "是" if v.joint else "否",
            v.window_start,
            v.window_end,
        )
        for v, n in visits
    ]
    team_query = (
        select(AssignmentRow, InspectorRow.name)
        .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
        .join(InspectorRow, InspectorRow.id == AssignmentRow.inspector_id)
        .where(VisitRow.plan_id == plan_id)
        .order_by(AssignmentRow.visit_id, AssignmentRow.department, AssignmentRow.inspector_id)
    )
    team_rows = [
        (a.visit_id, a.department, a.inspector_id, name, "组长" if a.leader else "")
        for a, name in uow.session.execute(team_query).all()
        if a.visit_id in ids and department in (None, a.department)
    ]
    latest = latest_results(uow, plan_id)
    result_rows = [
        (
            r.visit_id,
            r.department,
            r.version,
            _CATEGORY.get(r.category, r.category),
            r.findings,
            ReviewState(r.state).label_zh,
            r.recorded_by,
            r.recorded.date(),
        )
        for (visit, dept), r in sorted(latest.items())
        if visit in ids and department in (None, dept)
    ]
    return [
        Sheet(
            "检查对象 visits",
            (
                "检查编号",
                "统一社会信用代码",
                "企业名称",
                "区划",
                "牵头部门",
                "参与部门",
                "抽查事项",
                "联合检查",
                "检查开始",
                "检查结束",
            ),
            iter(visit_rows),
        ),
        Sheet("检查组 teams", ("检查编号", "部门", "人员编号", "姓名", "组长"), iter(team_rows)),
        Sheet(
            "检查结果 results",
            ("检查编号", "部门", "版本", "检查结果", "说明", "审核状态", "录入人", "录入日期"),
            iter(result_rows),
        ),
    ]
