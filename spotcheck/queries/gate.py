"""The public gate, the one place that decides what the public may see of a plan (docs/api.md "Public").

A draft is not public at all; from the freeze on, the plan's own text, its snapshot digest, the commitments and
the beacon are public; drawn firms, visits, assignments, results, seeds and records only once the plan is
published (``PUBLIC_STATES``; docs/api.md "Public").
"""

from __future__ import annotations

from spotcheck.domain.errors import NotFound
from spotcheck.domain.lifecycle import PUBLIC_STATES, PlanState
from spotcheck.store.quarter import PlanRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["PUBLISHED_STATES", "is_listed", "is_published", "public_plan"]

PUBLISHED_STATES = tuple(sorted(s.value for s in PUBLIC_STATES))  # for queries that filter in SQL


def is_published(state: str) -> bool:
    """May the results, visits, seed and record of a plan in ``state`` be shown to anyone?"""
    return PlanState(state) in PUBLIC_STATES


def is_listed(state: str) -> bool:
    """May a plan in ``state`` be shown to the public at all (its text, digest, commitments, beacon)?"""
    return PlanState(state) is not PlanState.DRAFT


def public_plan(uow: UnitOfWork, plan_id: int, *, need_published: bool) -> PlanRow:
    """The plan row if the public may see it (and, with ``need_published``, its results); NotFound otherwise."""
    row = uow.session.get(PlanRow, plan_id)
    if row is None or not is_listed(row.state):
        raise NotFound(f"no public plan {plan_id}")
    if need_published and not is_published(row.state):
        raise NotFound(f"plan {plan_id} is not published yet: its visits and results are not public")
    return row
