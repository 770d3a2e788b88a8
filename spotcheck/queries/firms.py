"""Firms as anyone may read them: registry facts that are public anyway, found by name or credit code."""

from __future__ import annotations

from sqlalchemy import func, select

from spotcheck.domain.errors import NotFound
from spotcheck.domain.uscc import is_valid, normalise
from spotcheck.queries.shapes import EnterprisePublic
from spotcheck.store.tables import EnterpriseRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["COUNT_CAP", "enterprise", "enterprise_page"]

COUNT_CAP = 1000  # a search answers "1000" for "1000 or more"


def enterprise_page(
    uow: UnitOfWork, q: str, *, limit: int, offset: int
) -> tuple[list[EnterprisePublic], int]:
    """Firms whose credit code is ``q`` or whose name contains it, by name then code; the count stops at
    ``COUNT_CAP`` (a common word would otherwise count half the directory on every keystroke), and so do the
    matches the pages are cut from."""
    text = q.strip()
    if is_valid(text):
        condition = EnterpriseRow.uscc == normalise(text)[0]
    else:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        condition = EnterpriseRow.name.like(f"%{escaped}%", escape="\\")
    session = uow.session
    capped = select(EnterpriseRow.uscc).where(condition).limit(COUNT_CAP).subquery()
    count = session.execute(select(func.count()).select_from(capped)).scalar_one()
    # Pages are cut from the first COUNT_CAP matches found (all of them when there are fewer): an index finds
    # those without sorting every firm whose name holds a common word (docs/formats.md "Firm-name search").
    rows = session.execute(
        select(EnterpriseRow)
        .where(EnterpriseRow.uscc.in_(select(capped.c.uscc)))
        .order_by(EnterpriseRow.name, EnterpriseRow.uscc)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return [EnterprisePublic.model_validate(r) for r in rows], int(count)


def enterprise(uow: UnitOfWork, uscc: str) -> EnterprisePublic:
    """One firm by credit code (normalised first); NotFound if the directory has none."""
    code, _ = normalise(uscc)
    row = uow.session.get(EnterpriseRow, code)
    if row is None:
        raise NotFound(f"no firm with credit code {code}")
    return EnterprisePublic.model_validate(row)
