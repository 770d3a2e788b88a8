"""Correcting a published result (docs/publication.md "Corrections"): never an edit in place.

A correction is a new version of the (visit, department) result, published at once, with the reason and who
made it in its audit entry (``correct_result``). Its leaf is appended to the plan's tree, and the entry carries
the extended tree's root and size, so ``audit verify`` checks the original and the correction alike. The credit
feed gets a new entry for it (a later entry for the same visit and department supersedes an earlier one). The
public sees the newest version; ``history`` lists every published version with its reason.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from spotcheck.credit.feed import append_results
from spotcheck.domain.categories import ReviewState, category
from spotcheck.domain.errors import InvalidTransition, NotFound, ValidationError
from spotcheck.domain.lifecycle import PlanState
from spotcheck.evidence.published_leaves import feed_payload
from spotcheck.queries.results import newest_result
from spotcheck.services import publication_tree
from spotcheck.services.common import audit, locked_plan
from spotcheck.services.publication_tree import latest_tree, stored_leaves
from spotcheck.store.ledger import AuditRow
from spotcheck.store.quarter import ResultRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["correct_result", "history"]


def correct_result(
    uow: UnitOfWork,
    plan_id: int,
    visit_id: str,
    department: str,
    result: str,
    *,
    reason: str,
    findings: str = "",
    actor: str,
) -> dict[str, Any]:
    """Publish a corrected version of a published result (category ``result``, ``findings``) with the
    ``reason`` it is corrected; returns its id, version and the new tree."""
    if not reason.strip():
        raise ValidationError("a correction needs a reason")
    chosen = category(result)
    with uow:
        plan = locked_plan(uow, plan_id)
        if plan.state != PlanState.PUBLISHED.value or latest_tree(uow.session, plan_id) is None:
            raise InvalidTransition(
                f"plan {plan_id} has no publication tree: only published results are corrected"
            )
        visit = uow.session.get(VisitRow, visit_id)
        current = newest_result(uow, visit_id, department)
        if visit is None or visit.plan_id != plan_id or current is None:
            raise NotFound(f"visit {visit_id} has no result of {department} in plan {plan_id}")
        if current.state != ReviewState.PUBLISHED.value:
            raise InvalidTransition(f"the result of {department} on visit {visit_id} is not published")
        row = ResultRow(
            visit_id=visit_id,
            department=department,
            version=current.version + 1,
            category=chosen.code,
            findings=findings,
            state=ReviewState.PUBLISHED.value,
            recorded_by=actor,
        )
        uow.session.add(row)
        uow.session.flush()
        leaf = publication_tree.leaf_of_result(plan_id, row)
        tree = publication_tree.extend(uow, plan_id, leaf)
        visit_leaf = next(
            v for v in stored_leaves(uow.session, plan_id) if v.kind == "visit" and v.key == visit_id
        )
        append_results(uow, [(row.id, visit.uscc, feed_payload(plan.year, plan.quarter, visit_leaf, leaf))])
        payload = {
            "plan": plan_id,
            "visit": visit_id,
            "department": department,
            "result": row.id,
            "version": row.version,
            "replaces": current.id,
            "category": chosen.code,
            "reason": reason.strip(),
            "tree": tree,
        }
        audit(uow, "correct_result", actor, payload)
        uow.commit()
        return {"result": row.id, "version": row.version, "tree": tree}


def history(uow: UnitOfWork, plan_id: int) -> list[dict[str, Any]]:
    """Every correction of the plan's published results, oldest first: visit, department, the result and the
    one it replaces, category, reason, who, when, and the tree it gave."""
    with uow:
        rows = uow.session.execute(
            select(AuditRow).where(AuditRow.action == "correct_result").order_by(AuditRow.seq)
        ).scalars()
        out: list[dict[str, Any]] = []
        for row in rows:
            try:
                payload = json.loads(row.payload)
            except ValueError:
                continue  # a corrupted entry: `audit verify` names it
            if isinstance(payload, dict) and payload.get("plan") == plan_id:
                out.append(payload | {"by": row.actor, "at": row.at, "audit_seq": row.seq})
        return out
