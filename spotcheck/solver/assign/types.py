"""The typed inputs and outputs of the inspector draw (docs/assign-spec.md): config, decisions, picks, problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

__all__ = [
    "ACTIONS",
    "RULES",
    "AssignConfig",
    "AssignmentResult",
    "CapUnmet",
    "Decision",
    "Pick",
    "StaffingProblem",
]

# Hard rules in the order a department's officers are filtered for a visit; the first one that leaves fewer
# officers than the team needs is the binding rule. "capacity" binds when enough were eligible but the
# quarter's workload left too few free.
RULES = ("department", "jurisdiction", "certification", "recusal", "rotation", "capacity")

# What a planner may decide about a visit (assign-spec §6): move it to the next quarter, or let one
# department stay away from it. Deferred visits and dropped departments free their officers' capacity.
ACTIONS = ("defer", "drop_department")


@dataclass(frozen=True)
class AssignConfig:
    """Knobs recorded in the record, so that verify recomputes with the same ones."""

    # Largest acceptable probability that one officer inspects one firm in the quarter (anti-collusion).
    probability_cap: Fraction = Fraction(1, 2)
    # Most teams one pair of officers may staff together in the quarter (anti-collusion); None: no limit.
    max_pair_visits: int | None = None


@dataclass(frozen=True)
class Decision:
    """A planner's recorded decision about a visit (assign-spec §6): who, when and why; applied after the draw."""

    visit: str
    action: str  # one of ACTIONS
    department: str = ""  # required for drop_department
    reason: str = ""
    by: str = ""
    at: str = ""  # when it was decided (ISO 8601, UTC); "" in records made before decisions carried it


@dataclass(frozen=True)
class Pick:
    """One officer drawn for one department of one visit, with the lottery number that drew them."""

    visit: str
    department: str
    officer: str
    lottery: int
    leader: bool = False


@dataclass(frozen=True)
class StaffingProblem:
    """A department of a visit left unstaffed: which rule binds and what would fix it."""

    visit: str
    department: str
    rule: str  # one of RULES
    needed: int  # team size
    eligible: int  # officers left after every rule but capacity
    fix: str


@dataclass(frozen=True)
class CapUnmet:
    """Visits whose eligible pool is so small that the probability cap cannot hold (team / pool > cap)."""

    department: str
    district: str
    team: int
    eligible: int
    probability: Fraction
    visits: int
    example: str  # the first such visit id


@dataclass(frozen=True)
class AssignmentResult:
    picks: tuple[Pick, ...]  # sorted by (visit, department, officer)
    problems: tuple[StaffingProblem, ...]  # sorted by (visit, department)
    caps_unmet: tuple[CapUnmet, ...]
    stats: dict[str, int] = field(default_factory=dict)
    pairs_over_cap: tuple[tuple[str, str, int], ...] = ()  # (officer, officer, teams together), sorted
