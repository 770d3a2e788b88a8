"""One builder per file kind: a chunk of rows -> the domain objects (docs/formats.md), problems recorded on the way.

References to other files (departments, districts, inspectors, firms) are checked later, in ``references.py``.
Records are built with ``map(Class, *columns)``: the columns are passed in the dataclass's field order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

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
_ID = re.compile(r"\S{1,64}")
# A placeholder for a bad date: the row is already marked bad, so the value is never used.
_NO_DATE = date.min


def department(c: Cells) -> list[Department]:
    code = c.code("code", pattern=_DEPARTMENT, what="department code (letters, digits, - _)")
    return list(map(Department, code, c.text("name"), c.text("name_en", required=False)))


def district(c: Cells) -> list[District]:
    return list(
        map(District, c.code("code", pattern=_DISTRICT, what="six-digit division code"), c.text("name"))
    )


def item(c: Cells) -> list[CheckItem]:
    return list(
        map(
            CheckItem,
            c.code("code", pattern=_ITEM, what="item code"),
            c.text("department"),
            c.text("name"),
            c.text("legal_basis", required=False),
            c.choice("method", Method, METHOD_ALIASES),
            c.flag("key"),
            c.choices("target_kinds", EntityKind, KIND_ALIASES),
            c.text("field"),
            c.integer("team_size", default=2, minimum=2),
        )
    )


def enterprise(c: Cells) -> list[Enterprise]:
    industry = [v.upper() for v in c.text("industry")]
    for row, value in enumerate(industry):
        if value and not _INDUSTRY.fullmatch(value):
            c.flag_row(row, "industry", f"{value!r} is not a GB/T 4754 section letter A-T")
    return list(
        map(
            Enterprise,
            c.uscc(),
            c.text("name"),
            c.choice("kind", EntityKind, KIND_ALIASES),
            c.text("district"),
            industry,
            c.choice("status", Status, STATUS_ALIASES),
            c.text("legal_rep", required=False),
            c.text("address", required=False),
            c.day("registered_on", required=False),
        )
    )


def tier(c: Cells) -> list[TierRecord]:
    effective = [d if d is not None else _NO_DATE for d in c.day("effective")]
    return list(map(TierRecord, c.uscc(), c.choice("tier", Tier, TIER_ALIASES), effective, c.text("batch")))


def inspector(c: Cells) -> list[Inspector]:
    districts = []
    for row, where in enumerate(c.text("district")):
        code = CITY_ALIASES.get(where.lower(), CITY_ALIASES.get(where, where))
        if code != CITY_LEVEL and where and not _DISTRICT.fullmatch(where):
            c.flag_row(
                row, "district", f"{where!r} is neither a six-digit division code nor {CITY_LEVEL}/市级"
            )
        districts.append(code)
    ids = c.code("id", pattern=_ID, what="id (no spaces)")
    return list(
        map(
            Inspector,
            ids,
            c.text("name"),
            c.text("department"),
            districts,
            c.text("certificate"),
            c.split("fields"),
            c.integer("capacity", minimum=0),
            c.flag("active", default=True),
        )
    )


def expert(c: Cells) -> list[Expert]:
    ids = c.code("id", pattern=_ID, what="id (no spaces)")
    return list(map(Expert, ids, c.text("name"), c.text("department"), c.split("fields")))


def conflict(c: Cells) -> list[Conflict]:
    return list(map(Conflict, c.text("inspector"), c.uscc(), c.text("reason", required=False)))


BUILDERS: dict[str, Callable[[Cells], list[Any]]] = {
    "departments": department,
    "districts": district,
    "items": item,
    "enterprises": enterprise,
    "tiers": tier,
    "inspectors": inspector,
    "experts": expert,
    "conflicts": conflict,
}
