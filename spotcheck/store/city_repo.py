"""The stored directories as a frozen ``City`` (what a draw reads), the same shape ``ingest.load_city`` gives."""

from __future__ import annotations

from datetime import date

from spotcheck.domain.model import City, Plan
from spotcheck.ingest.tiers import in_force, quarter_start
from spotcheck.store.uow import UnitOfWork

__all__ = ["city_from_store"]


def city_from_store(uow: UnitOfWork, *, plan: Plan | None = None, as_of: date | None = None) -> City:
    """Read every directory inside an open ``uow``. Tiers as in ``load_city``: the record in force per firm on
    ``as_of`` (default: the first day of ``plan``'s quarter), or the whole history when neither is given."""
    d = uow.directory
    tiers = d.all("tiers")
    on = as_of if as_of is not None else (quarter_start(plan.year, plan.quarter) if plan else None)
    return City(
        departments=tuple(d.all("departments")),
        districts=tuple(d.all("districts")),
        items=tuple(d.all("items")),
        enterprises=tuple(d.all("enterprises")),
        tiers=tuple(tiers) if on is None else in_force(tiers, on),
        inspectors=tuple(d.all("inspectors")),
        experts=tuple(d.all("experts")),
        conflicts=tuple(d.all("conflicts")),
        plan=plan,
    )
