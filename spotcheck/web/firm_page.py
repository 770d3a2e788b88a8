"""One firm as the public sees it (``/firms/{uscc}``): registry facts by name, its inspections in published
quarters with their results, and the check "was this firm drawn fairly?" that the browser works out from the
published seed (``static/drawcheck.js``; docs/draw-spec.md §2–§3) and the inclusion proof of each published
result checked against the published root (``static/proof.js``; docs/publication.md "Checking a result")."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from spotcheck.domain.labels import INDUSTRIES, KINDS, METHODS, STATUSES, label
from spotcheck.domain.uscc import normalise
from spotcheck.edge import Code
from spotcheck.edge import PublicUowDep as UowDep  # the read-only database (docs/scale.md)
from spotcheck.queries import disclosure, firms, plans
from spotcheck.queries.gate import is_published
from spotcheck.queries.results import results
from spotcheck.services.publication_tree import latest_tree
from spotcheck.store.uow import UnitOfWork
from spotcheck.web.rendering import templates

__all__ = ["root_of", "router"]

router = APIRouter(include_in_schema=False)


@router.get("/firms/{uscc}", response_class=HTMLResponse)
def firm_page(request: Request, uow: UowDep, uscc: Code) -> HTMLResponse:
    code, _ = normalise(uscc)
    firm = firms.enterprise(uow, code)
    known = disclosure.names(uow)
    found, _ = results(uow, uscc=code, limit=10_000)
    by_visit: dict[str, list[Any]] = {}
    for r in found:
        by_visit.setdefault(r.visit_id, []).append(r)
    quarters: dict[tuple[int, int, int], list[dict[str, Any]]] = {}
    checks: dict[int, str] = {}
    labels: dict[int, str] = {}
    roots: dict[int, str] = {}
    for visit in disclosure.firm_visits(uow, code):
        key = (visit["year"], visit["quarter"], visit["plan_id"])
        quarters.setdefault(key, []).append({**visit, "results": by_visit.get(visit["visit"].id, [])})
    # every published quarter can be checked, also those that did not draw the firm
    for plan in plans.plan_rows(uow, drafts=False):
        if is_published(plan.state):
            check = disclosure.draw_check(uow, plan.id, code)
            roots[plan.id] = root_of(uow, plan.id) or ""
            labels[plan.id] = f"{plan.year} 年第 {plan.quarter} 季度 {plan.year} Q{plan.quarter}"
            if check is not None:
                checks[plan.id] = json.dumps(
                    {
                        "plan": plan.id,
                        "seed": check.seed,
                        "uscc": check.uscc,
                        "tier": check.tier,
                        "tasks": check.tasks,
                    },
                    ensure_ascii=False,
                )
    context = {
        "f": firm,
        "kind": label(KINDS, firm.kind),
        "status": label(STATUSES, firm.status),
        "industry": label(INDUSTRIES, firm.industry),
        "district": known.district(firm.district),
        "quarters": quarters,
        "checks": checks,
        "labels": labels,
        "roots": roots,
        "names": known,
        "methods": METHODS,
        "label": label,
    }
    return templates.TemplateResponse(request, "firm.html", context)


def root_of(uow: UnitOfWork, plan_id: int) -> str | None:
    """The plan's published Merkle root as it stands (after any correction): what proofs are checked against."""
    tree = latest_tree(uow.session, plan_id)
    return None if tree is None else tree.root
