"""One builder per file kind: a row's cells -> the domain object (docs/formats.md), problems recorded on the way.

References to other files (departments, districts, inspectors, firms) are checked later, in ``references.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from spotcheck.domain.model import (
    CITY_LEVEL,
    CheckItem,
    Conflict,
    Department,
    District,
    Enterprise,
    EntityKind,
    Expert,
    Inspector,
    Method,
    Status,
    Tier,
    TierRecord,
)
from spotcheck.ingest.cells import Cells

__all__ = ["BUILDERS", "KIND_ALIASES", "METHOD_ALIASES", "STATUS_ALIASES", "Record"]

Record = Department | District | CheckItem | Enterprise | TierRecord | Inspector | Expert | Conflict

METHOD_ALIASES = {"现场检查": Method.ONSITE, "书面检查": Method.WRITTEN, "网络监测": Method.ONLINE}
KIND_ALIASES = {
    "企业": EntityKind.ENTERPRISE,
    "个体工商户": EntityKind.INDIVIDUAL,
    "农民专业合作社": EntityKind.COOPERATIVE,
}
STATUS_ALIASES = {
    "存续": Status.ACTIVE,
    "经营异常": Status.ABNORMAL,
    "停业清算": Status.CLOSED,
    "注销": Status.DEREGISTERED,
    "吊销": Status.REVOKED,
    "撤销": Status.CANCELLED,
    "迁出": Status.MOVED_OUT,
}
TIER_ALIASES = {t.value.lower(): t for t in Tier}
CITY_ALIASES = {CITY_LEVEL: CITY_LEVEL, "市级": CITY_LEVEL}

_DEPARTMENT = re.compile(r"[A-Za-z0-9_\-]{1,32}")
_DISTRICT = re.compile(r"\d{6}")
_ITEM = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_INDUSTRY = re.compile(r"[A-T]")
# A placeholder for a bad date: the row is already marked bad, so the value is never used.
_NO_DATE = date.min


def department(c: Cells) -> Department:
    return Department(
        code=c.code("code", pattern=_DEPARTMENT, what="department code (letters, digits, - _)"),
        name=c.text("name"),
        name_en=c.text("name_en", required=False),
    )


def district(c: Cells) -> District:
    return District(
        code=c.code("code", pattern=_DISTRICT, what="six-digit division code"), name=c.text("name")
    )


def item(c: Cells) -> CheckItem:
    return CheckItem(
        code=c.code("code", pattern=_ITEM, what="item code"),
        department=c.text("department"),
        name=c.text("name"),
        legal_basis=c.text("legal_basis", required=False),
        method=c.choice("method", Method, METHOD_ALIASES),
        key=c.flag("key"),
        target_kinds=c.choices("target_kinds", EntityKind, KIND_ALIASES),
        field=c.text("field"),
        team_size=c.integer("team_size", default=2, minimum=2),
    )


def enterprise(c: Cells) -> Enterprise:
    industry = c.text("industry").upper()
    if industry and not _INDUSTRY.fullmatch(industry):
        c.bad("industry", f"{industry!r} is not a GB/T 4754 section letter A-T")
    return Enterprise(
        uscc=c.uscc(),
        name=c.text("name"),
        kind=c.choice("kind", EntityKind, KIND_ALIASES),
        district=c.text("district"),
        industry=industry,
        status=c.choice("status", Status, STATUS_ALIASES),
        legal_rep=c.text("legal_rep", required=False),
        address=c.text("address", required=False),
        registered_on=c.day("registered_on", required=False),
    )


def tier(c: Cells) -> TierRecord:
    effective = c.day("effective")
    return TierRecord(
        uscc=c.uscc(),
        tier=c.choice("tier", Tier, TIER_ALIASES),
        effective=effective if effective is not None else _NO_DATE,
        batch=c.text("batch"),
    )


def inspector(c: Cells) -> Inspector:
    where = c.text("district")
    district_code = CITY_ALIASES.get(where.lower(), CITY_ALIASES.get(where, where))
    if district_code != CITY_LEVEL and where and not _DISTRICT.fullmatch(where):
        c.bad("district", f"{where!r} is neither a six-digit division code nor {CITY_LEVEL}/市级")
    return Inspector(
        id=c.code("id"),
        name=c.text("name"),
        department=c.text("department"),
        district=district_code,
        certificate=c.text("certificate"),
        fields=c.split("fields"),
        capacity=c.integer("capacity", minimum=0),
        active=c.flag("active", default=True),
    )


def expert(c: Cells) -> Expert:
    return Expert(
        id=c.code("id"), name=c.text("name"), department=c.text("department"), fields=c.split("fields")
    )


def conflict(c: Cells) -> Conflict:
    return Conflict(inspector=c.text("inspector"), uscc=c.uscc(), reason=c.text("reason", required=False))


BUILDERS: dict[str, Callable[[Cells], Record]] = {
    "departments": department,
    "districts": district,
    "items": item,
    "enterprises": enterprise,
    "tiers": tier,
    "inspectors": inspector,
    "experts": expert,
    "conflicts": conflict,
}
