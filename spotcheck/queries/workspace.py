"""What the inspector's pages show beside the API's assignment (``queries.assignments``): names instead of
codes (district, departments, items with their legal basis and method, teammates), the department's newest
result, the reason a reviewer gave when returning it, and the files handed in with it (docs/api.md "Inspector").

The reason is read from the audit chain, where the review step records it (``services.results.review``):
the chain is the one place a return and its reason are kept, and it is tamper evident.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select

from spotcheck.domain.categories import ReviewAction, ReviewState, category
from spotcheck.queries import assignments as assigned
from spotcheck.queries.attachments import AttachmentPublic, attachments
from spotcheck.queries.results import newest_result
from spotcheck.queries.shapes import AssignmentPublic
from spotcheck.store.directory import CheckItemRow, DepartmentRow, DistrictRow, InspectorRow
from spotcheck.store.ledger import AuditRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["ItemSheet", "ResultSheet", "VisitSheet", "quarter_of", "quarters", "return_reason", "visit_sheet"]


@dataclass(frozen=True)
class ItemSheet:
    code: str
    name: str
    department: str
    legal_basis: str
    method: str
    mine: bool  # one of the officer's own department's items


@dataclass(frozen=True)
class ResultSheet:
    version: int
    state: ReviewState
    category: str
    category_zh: str
    findings: str


@dataclass(frozen=True)
class VisitSheet:
    visit: AssignmentPublic
    name: str  # the officer's own
    district: str  # by name
    departments: dict[str, str]  # code -> name, for the visit's teams
    items: list[ItemSheet]
    result: ResultSheet | None
    reason: str  # the reviewer's, while the newest version is the returned one
    files: list[AttachmentPublic] = field(default_factory=list)


def quarter_of(visit: AssignmentPublic) -> str:
    return f"{visit.year}-Q{visit.quarter}"


def quarters(visits: list[AssignmentPublic]) -> list[str]:
    """The quarters the officer has visits in, newest first ("2026-Q1")."""
    return sorted({quarter_of(v) for v in visits}, reverse=True)


def return_reason(uow: UnitOfWork, visit_id: str, department: str) -> str:
    """The reason of the newest review of the department's result if it returned it; "" otherwise."""
    rows = uow.session.execute(
        select(AuditRow.payload)
        .where(AuditRow.action == "review", AuditRow.payload.contains(visit_id))
        .order_by(AuditRow.seq.desc())
    ).scalars()
    for text in rows:
        payload = json.loads(text)
        if payload.get("visit") == visit_id and payload.get("department") == department:
            returned = payload.get("decision") == ReviewAction.RETURN.value
            return str(payload.get("reason", "")) if returned else ""
    return ""


def _result(uow: UnitOfWork, visit_id: str, department: str) -> ResultSheet | None:
    row = newest_result(uow, visit_id, department)
    if row is None:
        return None
    label = category(row.category).label_zh if row.category else ""
    return ResultSheet(row.version, ReviewState(row.state), row.category, label, row.findings)


def visit_sheet(uow: UnitOfWork, officer: str, visit_id: str) -> VisitSheet:
    """One of the officer's visits with everything its page shows; NotFound for anyone else's."""
    visit = assigned.assignment(uow, officer, visit_id)
    session = uow.session
    district = session.get(DistrictRow, visit.firm.district)
    codes = {visit.department} | {t.department for t in visit.teammates}
    departments = {
        d.code: d.name
        for d in session.execute(select(DepartmentRow).where(DepartmentRow.code.in_(codes))).scalars()
    }
    rows = {
        r.code: r
        for r in session.execute(select(CheckItemRow).where(CheckItemRow.code.in_(visit.all_items))).scalars()
    }
    items = [
        ItemSheet(code, r.name, r.department, r.legal_basis, r.method, code in visit.items)
        if (r := rows.get(code)) is not None
        else ItemSheet(code, code, "", "", "", code in visit.items)
        for code in visit.all_items
    ]
    items.sort(key=lambda i: (not i.mine, i.code))
    result = _result(uow, visit_id, visit.department)
    returned = result is not None and result.state is ReviewState.RETURNED
    officer_row = session.get(InspectorRow, officer)
    return VisitSheet(
        visit=visit,
        name=officer_row.name if officer_row is not None else officer,
        district=district.name if district is not None else visit.firm.district,
        departments=departments,
        items=items,
        result=result,
        reason=return_reason(uow, visit_id, visit.department) if returned else "",
        files=attachments(uow, visit_id, visit.department),
    )
