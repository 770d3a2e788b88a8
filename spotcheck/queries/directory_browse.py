"""One directory as a page of rows, searched by its key and its name (docs/formats.md lists the columns).

    rows, count = browse(uow, "enterprises", q="兰山", limit=50, offset=0)

``count`` stops at ``COUNT_CAP`` so a common word never counts millions of rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from spotcheck.domain.errors import ValidationError
from spotcheck.ingest.columns import COLUMNS, KEYS
from spotcheck.store.uow import UnitOfWork

__all__ = ["COUNT_CAP", "browse", "columns"]

COUNT_CAP = 10_000


def columns(kind: str) -> list[tuple[str, str]]:
    """(column, Chinese header) of ``kind``, as its file names them."""
    if kind not in COLUMNS:
        raise ValidationError(f"unknown directory {kind!r}")
    return [(c.name, c.alias) for c in COLUMNS[kind]]


def browse(
    uow: UnitOfWork, kind: str, *, q: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of ``kind``'s rows in key order, those whose key or name contains ``q`` when given."""
    names = [name for name, _ in columns(kind)]
    table = uow.directory.table(kind)
    wanted = [table.c[n] for n in names if n in table.c]
    query = select(*wanted)
    text = q.strip()
    if text:
        searched = [table.c[n] for n in (*KEYS[kind], "name") if n in table.c]
        query = query.where(or_(*(col.like(f"%{text}%") for col in searched)))
    counted = select(func.count()).select_from(query.limit(COUNT_CAP).subquery())
    count = int(uow.session.execute(counted).scalar_one())
    order = [table.c[n] for n in KEYS[kind] if n in table.c]
    page = uow.session.execute(query.order_by(*order).limit(limit).offset(offset)).mappings().all()
    return [dict(r) for r in page], count
