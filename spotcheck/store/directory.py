"""Rows of the one list and the two directories (docs/formats.md): departments, districts, check items,
enterprises, tier history, inspectors, experts, recusals. Lists inside a row are stored ';'-joined, sorted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from spotcheck.store.base import Base, byte_ordered, utcnow

__all__ = [
    "NAME_INDEX",
    "CheckItemRow",
    "ConflictRow",
    "DepartmentRow",
    "DistrictRow",
    "EnterpriseRow",
    "ExpertRow",
    "InspectorRow",
    "TierRow",
]


class DepartmentRow(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")


class DistrictRow(Base):
    __tablename__ = "districts"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class CheckItemRow(Base):
    __tablename__ = "check_items"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    name: Mapped[str] = mapped_column(String(400))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(16))
    key: Mapped[bool] = mapped_column(Boolean)
    target_kinds: Mapped[str] = mapped_column(String(100))  # ';'-joined EntityKind values
    field: Mapped[str] = mapped_column(String(100))
    team_size: Mapped[int] = mapped_column(Integer, default=2)


class EnterpriseRow(Base):
    __tablename__ = "enterprises"
    uscc: Mapped[str] = mapped_column(byte_ordered(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(400))  # searched through NAME_INDEX (below)
    kind: Mapped[str] = mapped_column(String(16))
    district: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    industry: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16))
    legal_rep: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    registered_on: Mapped[date | None] = mapped_column(Date, nullable=True)


# Name search: on PostgreSQL a GIN index on the names' character bigrams (``name_bigrams``, an SQL function of
# migration 0011), compared by bytes (migration 0012), serves "name contains ..." for two characters or more; on
# SQLite the same name is a plain index and the search scans (spotcheck/store/name_search.py, docs/formats.md
# "Firm-name search"). A large import builds it after its commit (spotcheck/store/bulk_indexes.py).
NAME_INDEX = Index(
    "ix_enterprises_name_bigrams",
    func.name_bigrams(EnterpriseRow.name).label("bigrams"),
    postgresql_using="gin",
    postgresql_ops={"bigrams": 'COLLATE "C"'},  # the index element's collation (PostgreSQL reflects it apart)
)


class TierRow(Base):
    """Append-only tier history pushed by the credit system; never updated in place."""

    __tablename__ = "tier_records"
    __table_args__ = (UniqueConstraint("uscc", "effective", "batch"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc"))  # the unique index's first column
    tier: Mapped[str] = mapped_column(String(1))
    effective: Mapped[date] = mapped_column(Date)
    batch: Mapped[str] = mapped_column(byte_ordered(64), index=True)
    received: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class _StaffColumns:
    """The columns of a department's person (``domain.model.Staff``), which both staff tables begin with
    (``sort_order``: before the table's own columns, as the migrations create them)."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True, sort_order=-1)
    name: Mapped[str] = mapped_column(String(200), sort_order=-1)
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True, sort_order=-1)


class InspectorRow(_StaffColumns, Base):
    __tablename__ = "inspectors"
    district: Mapped[str] = mapped_column(String(16))  # a district code or CITY_LEVEL, hence no foreign key
    certificate: Mapped[str] = mapped_column(String(64))
    fields: Mapped[str] = mapped_column(String(400))  # ';'-joined
    capacity: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ExpertRow(_StaffColumns, Base):
    __tablename__ = "experts"
    fields: Mapped[str] = mapped_column(String(400))  # ';'-joined


class ConflictRow(Base):
    __tablename__ = "conflicts"
    inspector: Mapped[str] = mapped_column(ForeignKey("inspectors.id"), primary_key=True)
    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc"), primary_key=True, index=True)
    reason: Mapped[str] = mapped_column(String(400), default="")
