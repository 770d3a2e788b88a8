"""How many rows the check-item list and the two directories hold (一单两库), for the regulator."""

from __future__ import annotations

from spotcheck.ingest.columns import KINDS
from spotcheck.queries.shapes import DirectoryCounts
from spotcheck.store.uow import UnitOfWork

__all__ = ["department_names", "directory_counts"]


def directory_counts(uow: UnitOfWork) -> DirectoryCounts:
    return DirectoryCounts(**{kind: uow.directory.count(kind) for kind in KINDS})


def department_names(uow: UnitOfWork) -> dict[str, str]:
    """Department code -> "中文名 English name", so that pages show names, never bare codes."""
    return {d.code: f"{d.name} {d.name_en}".strip() for d in uow.directory.all("departments")}
