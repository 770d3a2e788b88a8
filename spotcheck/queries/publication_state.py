"""The state of what is public, as a cache key (``api.caching``): the audit log's last sequence number (every
import, step, publication and correction appends an entry) and the set of published plans."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from spotcheck.queries.gate import PUBLISHED_STATES
from spotcheck.store.tables import AuditRow, PlanRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["publication_state"]


def publication_state(factory: Callable[[], UnitOfWork]) -> tuple[int, frozenset[int]]:
    """Any change to what is public changes this pair."""
    with factory() as uow:
        seq = uow.session.execute(select(func.max(AuditRow.seq))).scalar_one_or_none()
        published = uow.session.execute(select(PlanRow.id).where(PlanRow.state.in_(PUBLISHED_STATES)))
        return int(seq or 0), frozenset(published.scalars())
