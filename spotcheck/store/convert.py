"""Domain records <-> table rows for the directories (the ORM stays out of the domain: mapping is done here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spotcheck.domain import model as m
from spotcheck.ingest.columns import KEYS
from spotcheck.store import directory as d
from spotcheck.store.base import Base

__all__ = ["KEY_COLUMNS", "ROW_CLASSES", "from_row", "to_values"]

ROW_CLASSES: dict[str, type[Base]] = {
    "departments": d.DepartmentRow,
    "districts": d.DistrictRow,
    "items": d.CheckItemRow,
    "enterprises": d.EnterpriseRow,
    "tiers": d.TierRow,
    "inspectors": d.InspectorRow,
    "experts": d.ExpertRow,
    "conflicts": d.ConflictRow,
}

# Primary-key columns of each directory: the key columns of its file (tiers are keyed by their unique constraint).
KEY_COLUMNS: dict[str, tuple[str, ...]] = KEYS


def _joined(values: tuple[str, ...]) -> str:
    return ";".join(sorted(values))


def _split(text: str) -> tuple[str, ...]:
    return tuple(sorted(p for p in text.split(";") if p))


def to_values(kind: str, record: Any) -> dict[str, Any]:
    """The column values of ``record`` (a domain object of file kind ``kind``)."""
    values = dict(record.__dict__)
    if kind == "items":
        values["method"] = record.method.value
        values["target_kinds"] = _joined(tuple(k.value for k in record.target_kinds))
    elif kind == "enterprises":
        values["kind"] = record.kind.value
        values["status"] = record.status.value
    elif kind == "tiers":
        values["tier"] = record.tier.value
    elif kind in ("inspectors", "experts"):
        values["fields"] = _joined(record.fields)
    return values


_READERS: dict[str, Callable[[Any], Any]] = {
    "departments": lambda r: m.Department(code=r.code, name=r.name, name_en=r.name_en),
    "districts": lambda r: m.District(code=r.code, name=r.name),
    "items": lambda r: m.CheckItem(
        code=r.code,
        department=r.department,
        name=r.name,
        legal_basis=r.legal_basis,
        method=m.Method(r.method),
        key=bool(r.key),
        target_kinds=tuple(m.EntityKind(k) for k in _split(r.target_kinds)),
        field=r.field,
        team_size=r.team_size,
    ),
    "enterprises": lambda r: m.Enterprise(
        uscc=r.uscc,
        name=r.name,
        kind=m.EntityKind(r.kind),
        district=r.district,
        industry=r.industry,
        status=m.Status(r.status),
        legal_rep=r.legal_rep,
        address=r.address,
        registered_on=r.registered_on,
    ),
    "tiers": lambda r: m.TierRecord(uscc=r.uscc, tier=m.Tier(r.tier), effective=r.effective, batch=r.batch),
    "inspectors": lambda r: m.Inspector(
        id=r.id,
        name=r.name,
        department=r.department,
        district=r.district,
        certificate=r.certificate,
        fields=_split(r.fields),
        capacity=r.capacity,
        active=bool(r.active),
    ),
    "experts": lambda r: m.Expert(id=r.id, name=r.name, department=r.department, fields=_split(r.fields)),
    "conflicts": lambda r: m.Conflict(inspector=r.inspector, uscc=r.uscc, reason=r.reason),
}


def from_row(kind: str, row: Any) -> Any:
    """The domain object for a row (an ORM object or a Row with the same attribute names)."""
    return _READERS[kind](row)
