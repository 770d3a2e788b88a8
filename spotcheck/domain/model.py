"""The plain objects every layer shares (docs/formats.md). No ORM, no web: frozen dataclasses.

Ratios are ``fractions.Fraction`` parsed from decimal strings ("0.05"), never floats, so that nobody's
rounding can change who is drawn. Codes are canonical strings; collections are sorted tuples so that
iterating them is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction

__all__ = [
    "CITY_LEVEL",
    "DEFAULT_TIER",
    "EXCLUDED_STATUSES",
    "CheckItem",
    "City",
    "Conflict",
    "Department",
    "District",
    "Enterprise",
    "EntityKind",
    "Expert",
    "Inspector",
    "JointTask",
    "Method",
    "Participant",
    "Plan",
    "Scope",
    "Staff",
    "Status",
    "Targets",
    "Task",
    "Tier",
    "TierRecord",
    "Visit",
]


class Tier(StrEnum):
    """Credit risk tier pushed by the credit system (企业信用风险分类): A low … D high."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


# A firm the credit system has not tiered yet is treated as "general risk" (B).
DEFAULT_TIER = Tier.B


class EntityKind(StrEnum):
    ENTERPRISE = "enterprise"  # 企业
    INDIVIDUAL = "individual"  # 个体工商户
    COOPERATIVE = "cooperative"  # 农民专业合作社


class Status(StrEnum):
    ACTIVE = "active"  # 存续
    ABNORMAL = "abnormal"  # 列入经营异常名录 (still inspectable, often more so)
    CLOSED = "closed"  # 已关闭停业或正在组织清算
    DEREGISTERED = "deregistered"  # 已注销
    REVOKED = "revoked"  # 被吊销
    CANCELLED = "cancelled"  # 被撤销
    MOVED_OUT = "moved_out"  # 迁出


EXCLUDED_STATUSES = frozenset(
    {Status.CLOSED, Status.DEREGISTERED, Status.REVOKED, Status.CANCELLED, Status.MOVED_OUT}
)


class Method(StrEnum):
    ONSITE = "onsite"  # 现场检查
    WRITTEN = "written"  # 书面检查
    ONLINE = "online"  # 网络监测


# An inspector whose district is CITY_LEVEL works for the whole city (市级), where the plan allows it.
CITY_LEVEL = "city"


@dataclass(frozen=True)
class Department:
    code: str  # short code, e.g. "SCJG" (市场监管)
    name: str  # Chinese name
    name_en: str = ""


@dataclass(frozen=True)
class District:
    code: str  # GB/T 2260 six-digit division code, e.g. "371302"
    name: str


@dataclass(frozen=True)
class CheckItem:
    code: str  # e.g. "SCJG-A07"
    department: str
    name: str
    legal_basis: str
    method: Method
    key: bool  # key (重点) items: safety, quality; may use larger teams and ratios
    target_kinds: tuple[EntityKind, ...]  # kinds of target in scope, sorted
    field: str  # enforcement field an officer must be certified for
    team_size: int = 2  # officers of the department per visit (≥ 2)


@dataclass(frozen=True)
class Enterprise:
    uscc: str  # canonical 18-character credit code
    name: str
    kind: EntityKind
    district: str
    industry: str  # GB/T 4754 section letter, e.g. "C" manufacturing
    status: Status
    legal_rep: str = ""
    address: str = ""
    registered_on: date | None = None


@dataclass(frozen=True)
class TierRecord:
    uscc: str
    tier: Tier
    effective: date
    batch: str  # the credit system's batch id; history is kept, never overwritten


@dataclass(frozen=True)
class Staff:
    """A department's person, as the staff directory lists them: an officer (``Inspector``) or an ``Expert``."""

    id: str
    name: str
    department: str


@dataclass(frozen=True)
class Inspector(Staff):
    district: str  # a district code, or CITY_LEVEL
    certificate: str  # 执法证号
    fields: tuple[str, ...]  # enforcement fields certified for, sorted
    capacity: int  # visits per quarter
    active: bool = True


@dataclass(frozen=True)
class Expert(Staff):
    """An adviser: may accompany a visit, never inspects, never assigned."""

    fields: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    """Recusal (回避): this officer never inspects this firm."""

    inspector: str
    uscc: str
    reason: str = ""


@dataclass(frozen=True)
class Scope:
    """Which firms a task may draw from; an empty tuple means "all"."""

    kinds: tuple[EntityKind, ...] = ()
    districts: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()

    def contains(self, firm: Enterprise) -> bool:
        return (
            (not self.kinds or firm.kind in self.kinds)
            and (not self.districts or firm.district in self.districts)
            and (not self.industries or firm.industry in self.industries)
        )


@dataclass(frozen=True)
class Task:
    """One department's items over a scope, with the quarter's inclusion probability per tier."""

    id: str
    department: str
    items: tuple[str, ...]
    scope: Scope
    ratios: dict[Tier, Fraction]


@dataclass(frozen=True)
class Participant:
    department: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class JointTask:
    """Planned by a lead department (发起部门); drawn once, every firm drawn gets every participant."""

    id: str
    lead: str
    participants: tuple[Participant, ...]  # the lead is a participant too
    scope: Scope
    ratios: dict[Tier, Fraction]


@dataclass(frozen=True)
class Targets:
    coverage: Fraction = Fraction(5, 100)  # yearly unique firms visited / firms in the directory
    joint_share: Fraction = Fraction(10, 100)  # yearly joint visits / all visits
    max_visits_per_firm_year: int = 2


@dataclass(frozen=True)
class Plan:
    year: int
    quarter: int  # 1..4
    targets: Targets
    tasks: tuple[Task, ...]
    joint_tasks: tuple[JointTask, ...]
    allow_city_level: bool = True  # may city-level officers staff district visits
    joint_visit_weight: int = 1  # capacity units a joint visit costs an officer


@dataclass(frozen=True)
class City:
    """Everything a draw reads: the one list, the two directories, the tiers in force, the plan."""

    departments: tuple[Department, ...]
    districts: tuple[District, ...]
    items: tuple[CheckItem, ...]
    enterprises: Sequence[Enterprise]  # a tuple, or columns (ingest.load_city) read the same way
    tiers: Sequence[TierRecord]
    inspectors: tuple[Inspector, ...]
    experts: tuple[Expert, ...]
    conflicts: tuple[Conflict, ...]
    plan: Plan | None = None
    extras: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Visit:
    """One firm, one quarter: every department and item that drew it (进一次门、查多项事)."""

    id: str  # f"{year}Q{quarter}-{uscc}": one visit per firm per quarter
    uscc: str
    district: str
    lead: str  # lead department
    departments: tuple[str, ...]  # sorted
    items: tuple[str, ...]  # sorted item codes

    @property
    def joint(self) -> bool:
        return len(self.departments) >= 2
