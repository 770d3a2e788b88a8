"""Firms as anyone may read them: registry facts that are public anyway, found by name or credit code."""

from __future__ import annotations

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import aliased

from spotcheck.domain.errors import NotFound
from spotcheck.domain.uscc import is_valid, normalise
from spotcheck.queries.shapes import EnterprisePublic
from spotcheck.store.name_search import capped_matches
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
        by_code = EnterpriseRow.uscc == normalise(text)[0]
        places = [select(EnterpriseRow).where(by_code).limit(COUNT_CAP).subquery()]
    else:
        places = capped_matches(uow.session, text, cap=COUNT_CAP)
    for capped in places:
        page, count = _page(uow, capped, limit=limit, offset=offset)
        if count >= COUNT_CAP:
            break
    return page, count


def _page(
    uow: UnitOfWork, capped: Subquery, *, limit: int, offset: int
) -> tuple[list[EnterprisePublic], int]:
    """A page, by name then code, of the (at most COUNT_CAP) matches in ``capped``, and how many they are: one
    statement, and a count of its own only past the last page. Sorting the capped matches, not every firm whose
    name holds a common word, keeps a page's cost bounded (docs/formats.md "Firm-name search")."""
    found = aliased(EnterpriseRow, capped)
    rows = uow.session.execute(
        select(found, func.count().over()).order_by(capped.c.name, capped.c.uscc).limit(limit).offset(offset)
    ).all()
    if rows:
        count = int(rows[0][1])
    else:
        count = int(uow.session.execute(select(func.count()).select_from(capped)).scalar_one())
    return [EnterprisePublic.model_validate(row) for row, _ in rows], count


def enterprise(uow: UnitOfWork, uscc: str) -> EnterprisePublic:
    """One firm by credit code (normalised first); NotFound if the directory has none."""
    code, _ = normalise(uscc)
    row = uow.session.get(EnterpriseRow, code)
    if row is None:
        raise NotFound(f"no firm with credit code {code}")
    return EnterprisePublic.model_validate(row)
