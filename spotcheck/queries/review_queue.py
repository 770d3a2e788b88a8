"""A department's review queue for one quarter: every result it owes, with the result itself (category,
findings, who recorded it) and its deadline of 20 official working days from the end of the check
(docs/operations.md "Results"); overdue first, then by due date. Published results have left the queue, and a
deferred visit or a dropped department owes none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from spotcheck.domain.categories import CATEGORIES, ReviewState
from spotcheck.services.results import deadlines, inspected, latest_results
from spotcheck.store.uow import UnitOfWork

__all__ = ["QueueRow", "review_queue"]

_CATEGORY = {c.code: (c.label_zh, c.label_en) for c in CATEGORIES}


@dataclass(frozen=True)
class QueueRow:
    visit: str
    uscc: str
    firm: str
    department: str
    state: ReviewState
    category_zh: str
    category_en: str
    findings: str
    recorded_by: str
    version: int
    end_of_check: date | None
    due: date | None
    provisional: bool  # the year's holiday calendar is not known: the due date is an estimate
    overdue: bool

    @property
    def reviewable(self) -> bool:
        return self.state is ReviewState.PENDING


def review_queue(
    factory: Callable[[], UnitOfWork], plan_id: int, *, department: str | None, today: date
) -> list[QueueRow]:
    """The unpublished results of ``plan_id`` (of ``department`` only, unless None), overdue first."""
    due = deadlines(factory(), plan_id, today=today)
    with factory() as uow:
        latest = latest_results(uow, plan_id)
        owed = {(v.id, d) for v, d in inspected(uow, plan_id)}  # a deferred visit owes nothing this quarter
        names = dict(uow.directory.stored("enterprises", {d.uscc for d in due}, ["name"]))
        out: list[QueueRow] = []
        for d in due:
            if (d.visit, d.department) not in owed or department not in (None, d.department):
                continue
            row = latest.get((d.visit, d.department))
            zh, en = _CATEGORY.get(row.category, ("", "")) if row is not None and row.category else ("", "")
            out.append(
                QueueRow(
                    visit=d.visit,
                    uscc=d.uscc,
                    firm=str(names.get((d.uscc,), ("",))[0]),
                    department=d.department,
                    state=d.state,
                    category_zh=zh,
                    category_en=en,
                    findings=row.findings if row is not None else "",
                    recorded_by=row.recorded_by if row is not None else "",
                    version=row.version if row is not None else 0,
                    end_of_check=d.end_of_check,
                    due=None if d.due is None else d.due.due,
                    provisional=bool(d.due and d.due.provisional),
                    overdue=d.overdue,
                )
            )
    out.sort(key=lambda r: (not r.overdue, r.due or date.max, r.visit, r.department))
    return out
