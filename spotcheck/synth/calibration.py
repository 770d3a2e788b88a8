"""What a plan gives on a city, in expectation: visits, joint share, yearly coverage, officer workload.

Inputs: the plan, the check items, and the firm counts of ``FirmSummary.counts`` (district × kind × section ×
tier in force × eligible). Each task is taken as an independent draw (the middle case: coordination can
push tasks' draws together, raising the joint share, or apart, raising coverage). For the firms of one
cell with per-department probabilities P_d (its own tasks) and joint-task probabilities r_j:

    P(visit)          = 1 − Π_d (1 − P_d) · Π_j (1 − r_j)
    P(one-department) = Π_j (1 − r_j) · Σ_d P_d Π_{d'≠d} (1 − P_d')
    P(joint visit)    = P(visit) − P(one-department)

Officer workload is counted the way the draw's capacity check counts it (docs/draw-spec.md §6),
conservatively: every task's expected draws times the department's team for that task (the largest team
among its items of that department), as if no two tasks ever drew the same firm.

A year is four independent quarters with the same ratios, so a firm is visited at least once in the year
with probability 1 − (1 − P(visit))⁴. Coverage divides by every enterprise in the directory, gone ones
included (the conservative reading). Arithmetic is exact (fractions), so officer sizing built on it is
the same on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import prod

import numpy as np

from spotcheck.domain.model import CheckItem, Plan, Scope
from spotcheck.synth import composition as mix
from spotcheck.synth.geography import AREAS

__all__ = ["Outlook", "outlook", "task_teams"]


@dataclass(frozen=True)
class Outlook:
    visits: Fraction  # expected visits per quarter
    joint_visits: Fraction  # of which with ≥ 2 departments
    enterprises_visited: Fraction  # expected unique enterprises visited in a year
    enterprises: int  # enterprises in the directory (all statuses)
    workload: dict[
        str, list[Fraction]
    ]  # department → per area (AREAS order) officer-visits per quarter (upper bound)

    @property
    def coverage(self) -> Fraction:
        return self.enterprises_visited / self.enterprises if self.enterprises else Fraction(0)

    @property
    def joint_share(self) -> Fraction:
        return self.joint_visits / self.visits if self.visits else Fraction(0)

    def summary(self) -> str:
        total = sum((sum(v) for v in self.workload.values()), Fraction(0))
        return (
            f"visits/quarter {float(self.visits):,.0f}, joint {float(self.joint_share):.1%}, "
            f"yearly coverage {float(self.coverage):.2%} of {self.enterprises:,} enterprises, "
            f"officer-visits/quarter {float(total):,.0f}"
        )


def task_teams(plan: Plan, items: tuple[CheckItem, ...]) -> dict[tuple[str, str], int]:
    """(task id, department) → officers that department sends: the largest team among its items."""
    size = {item.code: item.team_size for item in items}
    teams = {(t.id, t.department): max(size[c] for c in t.items) for t in plan.tasks}
    for joint in plan.joint_tasks:
        for part in joint.participants:
            teams[(joint.id, part.department)] = max(size[c] for c in part.items)
    return teams


def _in_scope(scope: Scope, area: int, kind: int, section: int) -> bool:
    return (
        (not scope.kinds or mix.KINDS[kind] in scope.kinds)
        and (not scope.districts or AREAS[area].code in scope.districts)
        and (not scope.industries or mix.SECTIONS[section] in scope.industries)
    )


def outlook(plan: Plan, items: tuple[CheckItem, ...], counts: np.ndarray) -> Outlook:
    teams = task_teams(plan, items)
    departments = sorted({d for _, d in teams})
    workload = {d: [Fraction(0)] * len(AREAS) for d in departments}
    visits = joint_visits = visited = Fraction(0)
    one = Fraction(1)
    for area, kind, section, slot in zip(*np.nonzero(counts[..., 1]), strict=True):
        n = int(counts[area, kind, section, slot, 1])
        tier = mix.TIERS[slot] if slot < len(mix.TIERS) else mix.TIERS[1]  # untiered counts as B
        own = {d: one for d in departments}  # Π (1 − r) over each department's own tasks
        for task in plan.tasks:
            if _in_scope(task.scope, area, kind, section):
                own[task.department] *= one - task.ratios[tier]
                workload[task.department][area] += n * task.ratios[tier] * teams[(task.id, task.department)]
        no_joint = one
        for joint in plan.joint_tasks:
            if _in_scope(joint.scope, area, kind, section):
                miss = one - joint.ratios[tier]
                no_joint *= miss
                for part in joint.participants:
                    workload[part.department][area] += (
                        n * joint.ratios[tier] * teams[(joint.id, part.department)]
                    )
        p_visit = one - prod(own.values(), start=one) * no_joint
        single = sum(
            ((one - own[d]) * prod((own[e] for e in departments if e != d), start=one) for d in departments),
            Fraction(0),
        )
        visits += n * p_visit
        joint_visits += n * (p_visit - no_joint * single)
        if kind == 0:
            visited += n * (one - (one - p_visit) ** 4)
    return Outlook(visits, joint_visits, visited, int(counts[:, 0].sum()), workload)
