"""How the synthetic city's market entities are mixed: kinds, statuses, industries, credit tiers.

All shares are integer weights (per mille unless said), so every draw is integer arithmetic.

- Kinds: Linyi has about 1.6 M market entities of which about 0.5 M enterprises, so roughly 31 %
  enterprises, 68 % individual businesses (个体工商户) and 1 % farmers' co-operatives.
- Statuses: most firms active, about 3 % on the abnormal-operations list, 6.5 % gone (closed, deregistered,
  revoked, cancelled, moved out) and therefore never drawn.
- Industries: GB/T 4754-2017 section letters; wholesale & retail (F) dominates, individual businesses are
  mostly shops, restaurants (H) and resident services (O); co-operatives are mostly agriculture (A).
- Tiers: the Dandong 2023 mix A 65.4 %, B 25.3 %, C 7.7 %, D 1.5 % over all tiered firms. Firms on the
  abnormal list are riskier (their own mix below); the other firms' mix is solved so that the total is
  still Dandong's (to rounding). About 2 % of firms are not tiered yet (firms.py); consumers treat
  them as B.
"""

from __future__ import annotations

from spotcheck.domain.model import EntityKind, Status, Tier

__all__ = [
    "ABNORMAL_TIER_WEIGHTS",
    "DANDONG",
    "INDUSTRY_WEIGHTS",
    "KINDS",
    "KIND_DIGIT",
    "KIND_WEIGHTS",
    "NORMAL_TIER_WEIGHTS",
    "SECTIONS",
    "STATUSES",
    "STATUS_WEIGHTS",
    "TIERS",
    "TIER_SLOTS",
]

KINDS: tuple[EntityKind, ...] = (EntityKind.ENTERPRISE, EntityKind.INDIVIDUAL, EntityKind.COOPERATIVE)
KIND_WEIGHTS: tuple[int, ...] = (310, 680, 10)
KIND_DIGIT: tuple[int, ...] = (1, 2, 3)  # position 2 of the credit code (GB 32100-2015, 市场监管 category)

STATUSES: tuple[Status, ...] = (
    Status.ACTIVE,
    Status.ABNORMAL,
    Status.CLOSED,
    Status.DEREGISTERED,
    Status.REVOKED,
    Status.CANCELLED,
    Status.MOVED_OUT,
)
STATUS_WEIGHTS: tuple[int, ...] = (905, 30, 10, 35, 10, 2, 8)

SECTIONS = "ABCDEFGHIJKLMNOPQRST"
# Per kind, weights of each section letter in SECTIONS order.
INDUSTRY_WEIGHTS: dict[EntityKind, tuple[int, ...]] = {
    #                         A   B    C   D   E    F   G   H   I   J   K    L   M   N   O  P   Q   R  S  T
    EntityKind.ENTERPRISE: (40, 4, 110, 10, 70, 300, 40, 30, 60, 10, 30, 120, 80, 15, 20, 5, 10, 20, 1, 0),
    EntityKind.INDIVIDUAL: (30, 0, 40, 0, 10, 550, 60, 130, 10, 0, 0, 30, 10, 0, 100, 5, 5, 20, 0, 0),
    EntityKind.COOPERATIVE: (850, 0, 40, 0, 0, 60, 10, 10, 0, 0, 0, 0, 0, 0, 20, 0, 0, 10, 0, 0),
}

TIERS: tuple[Tier, ...] = (Tier.A, Tier.B, Tier.C, Tier.D)
DANDONG: tuple[int, ...] = (654, 253, 77, 15)  # per mille; the 1 missing is rounding in the source
ABNORMAL_TIER_WEIGHTS: tuple[int, ...] = (100, 300, 400, 200)
_ABNORMAL = STATUS_WEIGHTS[1]
_TOTAL_STATUS = sum(STATUS_WEIGHTS)
# Solve DANDONG = a·ABNORMAL + (1 − a)·NORMAL for NORMAL, a = abnormal share, in integers (unnormalised).
NORMAL_TIER_WEIGHTS: tuple[int, ...] = tuple(
    d * _TOTAL_STATUS - _ABNORMAL * x for d, x in zip(DANDONG, ABNORMAL_TIER_WEIGHTS, strict=True)
)
TIER_SLOTS = 5  # A, B, C, D, untiered: the last column of count arrays
