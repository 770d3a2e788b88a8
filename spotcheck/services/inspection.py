"""From the draw to the results: the inspector draw, handing out assignments, closing the inspection period.

The inspection window of each visit is set when the plan starts (default: the quarter's remaining days); its end
is the "end of the check" from which the publication clock counts.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.lifecycle import Step
from spotcheck.services.common import audit, step
from spotcheck.store.quarter import VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["close_inspection", "quarter_end", "start_inspection"]


def quarter_end(year: int, quarter: int) -> date:
    """The quarter's last day."""
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def start_inspection(uow: UnitOfWork, plan_id: int, *, begin: date, end: date, actor: str) -> None:
    """Hand the assignments to the inspectors: every visit gets the window [begin, end]."""
    if end < begin:
        raise ValidationError(f"the inspection window ends ({end}) before it begins ({begin})")
    with uow:
        step(uow, plan_id, Step.START)
        uow.session.execute(
            update(VisitRow).where(VisitRow.plan_id == plan_id).values(window_start=begin, window_end=end)
        )
        audit(uow, "start", actor, {"plan": plan_id, "begin": begin.isoformat(), "end": end.isoformat()})
        uow.commit()


def close_inspection(uow: UnitOfWork, plan_id: int, *, actor: str) -> None:
    """End the inspection period: results may still be entered and reviewed; secrets may now be revealed."""
    with uow:
        step(uow, plan_id, Step.CLOSE)
        audit(uow, "close", actor, {"plan": plan_id})
        uow.commit()
