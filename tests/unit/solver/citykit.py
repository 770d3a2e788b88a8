"""Small, deterministic cities for the solver tests (no files, no randomness outside SHA-256)."""

from __future__ import annotations

import hashlib
from datetime import date
from fractions import Fraction

from spotcheck.domain.model import (
    CheckItem,
    City,
    Department,
    District,
    Enterprise,
    EntityKind,
    Inspector,
    JointTask,
    Method,
    Participant,
    Plan,
    Scope,
    Status,
    Targets,
    Task,
    Tier,
    TierRecord,
)
from spotcheck.domain.uscc import ALPHABET, check_char

DISTRICTS = ("371302", "371311", "371312")
INDUSTRIES = ("C", "F", "H", "I")
DEPARTMENTS = ("HB", "SCJG", "SWJ", "XF")


def code(n: int) -> str:
    body = "".join(ALPHABET[(n // 31**k) % 31] for k in range(9))[::-1]
    first17 = f"91{DISTRICTS[n % 3]}{body}"
    return first17 + check_char(first17)


def _pick(n: int, salt: str, options: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{salt}:{n}".encode()).digest()[:4], "big") % options


def firms(count: int) -> tuple[Enterprise, ...]:
    kinds = (EntityKind.ENTERPRISE,) * 6 + (EntityKind.INDIVIDUAL,) * 3 + (EntityKind.COOPERATIVE,)
    statuses = (Status.ACTIVE,) * 17 + (Status.ABNORMAL, Status.DEREGISTERED, Status.REVOKED)
    return tuple(
        Enterprise(
            uscc=code(n),
            name=f"企业{n}",
            kind=kinds[_pick(n, "kind", len(kinds))],
            district=DISTRICTS[n % 3],
            industry=INDUSTRIES[_pick(n, "industry", 4)],
            status=statuses[_pick(n, "status", len(statuses))],
        )
        for n in range(count)
    )


def tiers(enterprises: tuple[Enterprise, ...]) -> tuple[TierRecord, ...]:
    mix = (Tier.A,) * 13 + (Tier.B,) * 5 + (Tier.C,) + (Tier.D,)
    return tuple(
        TierRecord(f.uscc, mix[_pick(n, "tier", len(mix))], date(2025, 12, 1), "B1")
        for n, f in enumerate(enterprises)
        if n % 17  # every 17th firm has no tier: general risk (B)
    )


def ratios(a: str, b: str, c: str, d: str) -> dict[Tier, Fraction]:
    return {Tier.A: Fraction(a), Tier.B: Fraction(b), Tier.C: Fraction(c), Tier.D: Fraction(d)}


def plan(year: int = 2026, quarter: int = 1, *, scale: str = "1", targets: Targets | None = None) -> Plan:
    k = Fraction(scale)

    def r(a: str, b: str, c: str, d: str) -> dict[Tier, Fraction]:
        return {t: min(Fraction(1), v * k) for t, v in ratios(a, b, c, d).items()}

    return Plan(
        year=year,
        quarter=quarter,
        targets=targets or Targets(),
        tasks=(
            Task(
                "T-SCJG",
                "SCJG",
                ("SCJG-A07",),
                Scope(kinds=(EntityKind.ENTERPRISE,)),
                r("0.01", "0.03", "0.1", "0.3"),
            ),
            Task("T-SWJ", "SWJ", ("SWJ-01",), Scope(), r("0.01", "0.02", "0.05", "0.2")),
            Task("T-HB", "HB", ("HB-01",), Scope(industries=("C",)), r("0.02", "0.05", "0.1", "0.4")),
            Task("T-XF", "XF", ("XF-01",), Scope(industries=("H", "I")), r("0.02", "0.04", "0.1", "0.3")),
        ),
        joint_tasks=(
            JointTask(
                "J-1",
                "SCJG",
                (Participant("SCJG", ("SCJG-C02",)), Participant("XF", ("XF-02",))),
                Scope(kinds=(EntityKind.ENTERPRISE,), industries=("H", "I")),
                r("0.005", "0.01", "0.05", "0.2"),
            ),
        ),
    )


def items() -> tuple[CheckItem, ...]:
    every = (EntityKind.COOPERATIVE, EntityKind.ENTERPRISE, EntityKind.INDIVIDUAL)
    codes = {"HB": ("HB-01",), "SCJG": ("SCJG-A07", "SCJG-C02"), "SWJ": ("SWJ-01",), "XF": ("XF-01", "XF-02")}
    return tuple(
        CheckItem(c, d, f"检查{c}", "依据", Method.ONSITE, False, every, d.lower())
        for d in DEPARTMENTS
        for c in codes[d]
    )


def inspectors(capacity: int = 60) -> tuple[Inspector, ...]:
    return tuple(
        Inspector(f"{d}-{k}-{i}", f"{d}{i}", d, k, f"C{d}{k}{i}", (d.lower(),), capacity)
        for d in DEPARTMENTS
        for k in DISTRICTS
        for i in range(4)
    )


def city(count: int = 3000, the_plan: Plan | None = None, capacity: int = 60) -> City:
    enterprises = firms(count)
    return City(
        departments=tuple(Department(d, d) for d in DEPARTMENTS),
        districts=tuple(District(d, d) for d in DISTRICTS),
        items=items(),
        enterprises=enterprises,
        tiers=tiers(enterprises),
        inspectors=inspectors(capacity),
        experts=(),
        conflicts=(),
        plan=the_plan or plan(),
    )
