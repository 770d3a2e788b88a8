"""The regulator's charts (``/regulator/charts?plan=ID``): the figures of ``queries.charts`` as tables, and
drawn by Apache ECharts from the app's own static files when they are there (``static/vendor/echarts``); the
numbers are in the page itself (``data-chart``), so the charts and the tables show the same figures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.errors import SpotcheckError
from spotcheck.edge import MAX_ID, UowDep, UowFactoryDep
from spotcheck.queries import plans
from spotcheck.queries.charts import Figures, figures
from spotcheck.web.rendering import HERE
from spotcheck.web.workspace import SIGN_IN, caller, page, refusal

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

ECHARTS = "/static/vendor/echarts/echarts.min.js"


def _series(f: Figures) -> dict[str, Any]:
    """What the chart script draws: one entry per chart, labels and values."""
    return {
        "quarters": {
            "labels": [q.label for q in f.quarters],
            "series": {
                "覆盖率 coverage %": [q.coverage for q in f.quarters],
                "预期覆盖率 expected coverage %": [q.expected_coverage for q in f.quarters],
                "联合占比 joint %": [q.joint for q in f.quarters],
                "预期联合占比 expected joint %": [q.expected_joint for q in f.quarters],
            },
            "targets": {"覆盖率目标 5%": f.target_coverage, "联合目标 10%": f.target_joint},
        },
        "tiers": {
            "labels": [b.tier for b in f.tiers],
            "series": {
                "检查户数 visits": [b.visits for b in f.tiers],
                "预期 expected": [b.expected_visits for b in f.tiers],
                "联合 joint": [b.joint_visits for b in f.tiers],
                "预期联合 expected joint": [b.expected_joint for b in f.tiers],
            },
        },
        "departments": {
            "labels": [b.label for b in f.departments],
            "series": {
                "检查户数 visits": [b.visits for b in f.departments],
                "联合 joint": [b.joint_visits for b in f.departments],
            },
        },
        "districts": {
            "labels": [b.label for b in f.districts],
            "series": {
                "检查户数 visits": [b.visits for b in f.districts],
                "联合 joint": [b.joint_visits for b in f.districts],
            },
        },
        "workload": {
            "labels": [w[0] for w in f.workload],
            "series": {
                "任务 visits": [w[1] for w in f.workload],
                "上限 capacity": [w[2] for w in f.workload],
            },
        },
        "categories": {
            "labels": [c[0] for c in f.categories],
            "series": {"结果 results": [c[1] for c in f.categories]},
        },
        "overdue": {
            "labels": [o[0] for o in f.overdue],
            "series": {"逾期 overdue": [o[1] for o in f.overdue]},
        },
    }


@router.get("/regulator/charts", response_class=HTMLResponse)
def charts(
    request: Request,
    uow: UowDep,
    factory: UowFactoryDep,
    plan: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    me = caller(request, uow)
    if me is None:
        return SIGN_IN.form(request)
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
