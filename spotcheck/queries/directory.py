"""How many rows the check-item list and the two directories hold (一单两库), for the regulator."""

from __future__ import annotations

from spotcheck.ingest.columns import KINDS
from spotcheck.queries.shapes import DirectoryCounts
from spotcheck.store.uow import UnitOfWork

__all__ = ["directory_counts"]


def directory_counts(uow: UnitOfWork) -> DirectoryCounts:
    return DirectoryCounts(**{kind: uow.directory.count(kind) for kind in KINDS})
