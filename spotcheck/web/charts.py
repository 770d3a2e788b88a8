"""The regulator's charts (``/regulator/charts?plan=ID``): the figures of ``queries.charts`` as tables, and
drawn by Apache ECharts from the app's own static files when they are there (``static/vendor/echarts``); the
numbers are in the page itself (``data-chart``), so the charts and the tables show the same figures."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.errors import SpotcheckError
from spotcheck.edge import MAX_ID
from spotcheck.queries import plans
from spotcheck.queries.charts import Figures, figures
from spotcheck.web.rendering import HERE
from spotcheck.web.workspace import DeskDep, page, refusal

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

ECHARTS = "/static/vendor/echarts/echarts.min.js"


Field = str | int  # a figure's attribute name, or its place in a tuple


def _value(row: Any, field: Field) -> Any:
    return row[field] if isinstance(field, int) else getattr(row, field)


def _chart(rows: Sequence[Any], label: Field, series: Mapping[str, Field]) -> dict[str, Any]:
    """One chart as the script draws it: a label per row and, for each named series, a value per row."""
    return {
        "labels": [_value(r, label) for r in rows],
        "series": {name: [_value(r, field) for r in rows] for name, field in series.items()},
    }


VISITS_AND_JOINT = {"检查户数 visits": "visits", "联合 joint": "joint_visits"}


def _series(f: Figures) -> dict[str, Any]:
    """What the chart script draws: one entry per chart, labels and values."""
    quarters = {
        "覆盖率 coverage %": "coverage",
        "预期覆盖率 expected coverage %": "expected_coverage",
        "联合占比 joint %": "joint",
        "预期联合占比 expected joint %": "expected_joint",
    }
    tiers = {
        "检查户数 visits": "visits",
        "预期 expected": "expected_visits",
        "联合 joint": "joint_visits",
        "预期联合 expected joint": "expected_joint",
    }
    return {
        "quarters": {
            **_chart(f.quarters, "label", quarters),
            "targets": {"覆盖率目标 5%": f.target_coverage, "联合目标 10%": f.target_joint},
        },
        "tiers": _chart(f.tiers, "tier", tiers),
        "departments": _chart(f.departments, "label", VISITS_AND_JOINT),
        "districts": _chart(f.districts, "label", VISITS_AND_JOINT),
        "workload": _chart(f.workload, 0, {"任务 visits": 1, "上限 capacity": 2}),
        "categories": _chart(f.categories, 0, {"结果 results": 1}),
        "overdue": _chart(f.overdue, 0, {"逾期 overdue": 1}),
    }


@router.get("/regulator/charts", response_class=HTMLResponse)
def charts(desk: DeskDep, plan: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Response:
    request, uow, factory, me = desk.request, desk.uow, desk.factory, desk.me
    shown = plans.regulator_plans(uow)
    chosen = plan or next((p.id for p in shown if p.stats is not None), None)
    found = None
    try:
        if chosen is not None:
            found = figures(factory, chosen, today=datetime.now(UTC).date())
    except SpotcheckError as exc:
        code, message = refusal(exc)
        return page(request, "workspace/refused.html", {"me": me, "error": message}, status_code=code)
    context = {
        "me": me,
        "plans": shown,
        "chosen": chosen,
        "f": found,
        "data": json.dumps(_series(found), ensure_ascii=False) if found else "",
        "echarts": ECHARTS if (HERE / ECHARTS.removeprefix("/")).exists() else "",
    }
    return page(request, "workspace/charts.html", context)
