"""The inspector directory (执法检查人员名录库), experts and recusal conflicts, sized to the plan's workload.

Sizing (docs/synthetic-city.md): by default a department gets enough officers for its expected
officer-visits at ``TARGET_CAPACITY`` visits each with ``HEADROOM`` (at least ``MIN_PER_DEPARTMENT``), the
city at least ``MIN_OFFICERS``: about 500 for a Linyi-size city, 60 for a small one. In each department a
few officers work city-wide (``city``), the others are spread over the districts in proportion to the
district's workload. Capacities are then set so that the draw's capacity rule holds with headroom (see
``_department``), clamped to [``MIN_CAPACITY``, ``MAX_CAPACITY``]; ``capacity_shortfall`` reports when
the clamp (a small ``--officers``) leaves a department short. All quantities are integers computed from
exact fractions, so they are the same on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil, isqrt

import numpy as np

from spotcheck.domain.model import CITY_LEVEL, Conflict, Expert, Inspector
from spotcheck.synth.catalog import DEPARTMENTS, fields_of
from spotcheck.synth.geography import AREAS
from spotcheck.synth.names import people
from spotcheck.synth.rng import generator

__all__ = ["HEADROOM", "MIN_OFFICERS", "MIN_PER_DEPARTMENT", "Staff", "build_staff", "department_officers"]

MIN_OFFICERS = 60
TARGET_CAPACITY = 68  # visits per officer per quarter: about five a week over a 13-week quarter
MIN_PER_DEPARTMENT = 5
CITY_SHARE = Fraction(12, 100)  # officers of the city-level bureau, at least 3 per department
HEADROOM = Fraction(13, 10)
MIN_CAPACITY, MAX_CAPACITY = 20, 120
INACTIVE_PER_MILLE = 30
CONFLICTS_PER_OFFICER = Fraction(3, 10)
_REASONS = (
    "近亲属担任该企业法定代表人",
    "曾在该企业任职未满三年",
    "与该企业存在经济往来",
    "本人持有该企业股份",
)


@dataclass(frozen=True)
class Staff:
    inspectors: tuple[Inspector, ...]
    experts: tuple[Expert, ...]
    conflicts: tuple[Conflict, ...]
    capacity_shortfall: dict[str, int]  # department → officer-visits the clamped capacity cannot cover


def department_officers(load: list[Fraction], officers: int | None = None) -> list[int]:
    """Officers per department (DEPARTMENTS order) for its expected officer-visits ``load``.

    By default each department gets what its load needs at ``TARGET_CAPACITY`` with ``HEADROOM`` (at least
    ``MIN_PER_DEPARTMENT``), and the city at least ``MIN_OFFICERS``; a given total is shared in proportion to
    load, every department keeping its minimum.
    """
    needed = [max(MIN_PER_DEPARTMENT, ceil(HEADROOM * w / TARGET_CAPACITY)) for w in load]
    if officers is None:
        if sum(needed) >= MIN_OFFICERS:
            return needed
        officers = MIN_OFFICERS
    return _shares(officers, load, MIN_PER_DEPARTMENT)


def _shares(total: int, weights: list[Fraction], minimum: int) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder, ties to the first), each at least ``minimum``.

    Water-filling: shares that would fall below the minimum are fixed at it, the rest re-shared.
    """
    fixed: set[int] = set()
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        rest = total - minimum * len(fixed)
        whole = sum((weights[i] for i in free), Fraction(0))
        exact = {i: (weights[i] * rest / whole if whole else Fraction(rest, len(free))) for i in free}
        low = {i for i in free if exact[i] < minimum}
        if not low or len(low) == len(free):
            break
        fixed |= low
    counts = {i: minimum for i in fixed}
    floors = {i: max(minimum, int(exact[i])) if i in low else int(exact[i]) for i in free}
    spare = total - sum(counts.values()) - sum(floors.values())
    order = sorted(free, key=lambda i: (-(exact[i] - int(exact[i])), i))
    for i in order[: max(0, spare)]:
        floors[i] += 1
    counts.update(floors)
    return [counts[i] for i in range(len(weights))]


def build_staff(
    seed: str, officers: int | None, workload: dict[str, list[Fraction]], candidates: list[list[str]]
) -> Staff:
    """Officers for ``workload`` (department → officer-visits per area, AREAS order)."""
    rng = generator(seed, "staff")
    codes = [d.code for d in DEPARTMENTS]
    empty = [Fraction(0)] * len(AREAS)
    load = [sum(workload.get(c, empty), Fraction(0)) for c in codes]
    inspectors: list[Inspector] = []
    shortfall: dict[str, int] = {}
    counts = department_officers(load, officers)
    for index, (code, count) in enumerate(zip(codes, counts, strict=True)):
        team, missing = _department(rng, index, code, count, workload.get(code, empty), len(inspectors))
        inspectors.extend(team)
        if missing:
            shortfall[code] = missing
    experts = _experts(rng, len(inspectors), codes)
    return Staff(tuple(inspectors), experts, _conflicts(rng, inspectors, candidates), shortfall)


def _margin(need: Fraction) -> Fraction:
    """Capacity to plan for an expected ``need``: HEADROOM times it, plus three standard deviations of a
    Poisson count (the draw is random; small districts fluctuate most)."""
    return HEADROOM * need + 3 * (isqrt(ceil(need)) + 1) if need else Fraction(0)


def _clamp(value: int) -> int:
    return min(MAX_CAPACITY, max(MIN_CAPACITY, value))


def _layout(
    city: int, count: int, need: list[Fraction], total: Fraction, drawn_active: np.ndarray, spread: np.ndarray
) -> tuple[list[str], list[bool], list[int], int]:
    """Homes, active flags and capacities with ``city`` city-level officers; and the uncovered excess."""
    per_area = _shares(count - city, need, 0)
    homes = [CITY_LEVEL] * city + [a.code for a, k in zip(AREAS, per_area, strict=True) for _ in range(k)]
    active = [True] * city + [bool(x) for x in drawn_active[city:]]  # the city-level team is always staffed
    base = _clamp(ceil(_margin(total) / max(1, sum(active))))
    capacity = [_clamp(ceil(Fraction(base * int(spread[i]), 100))) for i in range(count)]
    own = dict.fromkeys((a.code for a in AREAS), 0)
    for i in range(city, count):
        own[homes[i]] += capacity[i] if active[i] else 0
    excess = sum(
        (max(Fraction(0), _margin(n) - own[a.code]) for a, n in zip(AREAS, need, strict=True)), Fraction(0)
    )
    city_base = _clamp(max(base, ceil(excess / city)))
    for i in range(city):
        capacity[i] = _clamp(ceil(Fraction(city_base * int(spread[i] + 15), 100)))  # never below city_base
    return homes, active, capacity, max(0, ceil(excess - sum(capacity[:city])))


def _department(
    rng: np.random.Generator, index: int, code: str, count: int, need: list[Fraction], numbered: int
) -> tuple[list[Inspector], int]:
    """One department's officers, and the officer-visits their capacity cannot cover (0 if none).

    District officers get the department's load (with ``_margin``) per active officer (±15 %); the
    city-level officers then get enough to cover every district's excess (with ``_margin``) over its own
    officers (the draw's capacity rule: city-level officers absorb any district's excess).
    """
    drawn_active = rng.integers(0, 1000, count) >= INACTIVE_PER_MILLE
    spread = rng.integers(85, 116, count)
    total = sum(need, Fraction(0))
    city = min(count, max(3, round(CITY_SHARE * count)))
    while True:  # more city-level officers until they can cover every district's excess (or all are)
        homes, active, capacity, missing = _layout(city, count, need, total, drawn_active, spread)
        if not missing or city == count:
            break
        city += 1
    names = people(rng, count)
    fields = fields_of(code)
    serial: dict[str, int] = {}
    team = []
    for i, home in enumerate(homes):
        serial[home] = serial.get(home, 0) + 1
        division = "371300" if home == CITY_LEVEL else home
        certificate = f"37{division[2:]}{index:02d}{serial[home]:04d}"
        team.append(
            Inspector(f"{code}-{numbered + i + 1:05d}", names[i], code, home, certificate, fields, capacity[i], active[i])
        )  # fmt: skip
    return team, missing


def _experts(rng: np.random.Generator, officers: int, codes: list[str]) -> tuple[Expert, ...]:
    count = max(len(codes), officers // 20)
    names = people(rng, count)
    return tuple(
        Expert(f"EXP-{i + 1:04d}", names[i], codes[i % len(codes)], fields_of(codes[i % len(codes)]))
        for i in range(count)
    )


def _conflicts(
    rng: np.random.Generator, inspectors: list[Inspector], candidates: list[list[str]]
) -> tuple[Conflict, ...]:
    """Recusals: an officer and a firm of their own district (any district for city-level officers)."""
    area_index = {a.code: i for i, a in enumerate(AREAS)}
    pool = [c for bucket in candidates for c in bucket]
    wanted = int(CONFLICTS_PER_OFFICER * len(inspectors))
    # Only Generator.integers is used anywhere, whose stream numpy keeps stable; a sort by random keys
    # picks officers without replacement.
    keys = rng.integers(0, 1 << 62, len(inspectors))
    chosen: list[int] = np.argsort(keys, kind="stable")[:wanted].tolist() if pool else []
    found: set[tuple[str, str]] = set()
    for i in sorted(int(x) for x in chosen):
        officer = inspectors[i]
        bucket = pool if officer.district == CITY_LEVEL else candidates[area_index[officer.district]]
        if bucket:
            uscc = bucket[int(rng.integers(0, len(bucket)))]
            found.add((officer.id, uscc))
    reasons = rng.integers(0, len(_REASONS), len(found))
    return tuple(
        Conflict(o, u, _REASONS[r]) for (o, u), r in zip(sorted(found), reasons.tolist(), strict=True)
    )
