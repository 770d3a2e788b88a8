"""The states of a quarter's plan and the steps that move it (docs/operations.md "The states of a plan").

    draft ─freeze→ frozen ─beacon→ seeded ─draw→ drawn ─assign→ assigned ─start→ in_inspection
          ─close→ results ─publish→ published

Secrets are handed in only in ``seeded`` (after the beacon, before the draw);
secrets are committed only in ``draft`` (before the snapshot exists, so nobody can pick a secret knowing it);
redraws are appended in ``drawn`` … ``in_inspection``; results are recorded in ``in_inspection`` and ``results``.
A step run a second time is refused (never a second draw): the caller sees ``InvalidTransition`` naming the
state the plan is already in.
"""

from __future__ import annotations

from enum import StrEnum

from spotcheck.domain.errors import InvalidTransition

__all__ = ["PUBLIC_STATES", "PlanState", "Step", "advance", "require"]


class PlanState(StrEnum):
    DRAFT = "draft"
    FROZEN = "frozen"
    SEEDED = "seeded"
    DRAWN = "drawn"
    ASSIGNED = "assigned"
    IN_INSPECTION = "in_inspection"
    RESULTS = "results"
    PUBLISHED = "published"


class Step(StrEnum):
    COMMIT = "commit"  # a department commits to its secret
    FREEZE = "freeze"
    BEACON = "beacon"  # the public beacon value is entered: the seed is now fixed
    HANDIN = "handin"  # a department hands in its secret (checked, sealed) before the draw
    DRAW = "draw"
    ASSIGN = "assign"
    REDRAW = "redraw"
    START = "start"  # assignments handed to inspectors
    RESULT = "result"  # a department records a result
    REVIEW = "review"
    CLOSE = "close"  # the inspection period ends: the publication clock starts
    REVEAL = "reveal"
    PUBLISH = "publish"


_S = PlanState
# step -> (states it may run in, state after; None = the state does not change)
_STEPS: dict[Step, tuple[frozenset[PlanState], PlanState | None]] = {
    Step.COMMIT: (frozenset({_S.DRAFT}), None),
    Step.FREEZE: (frozenset({_S.DRAFT}), _S.FROZEN),
    Step.BEACON: (frozenset({_S.FROZEN}), _S.SEEDED),
    Step.HANDIN: (frozenset({_S.SEEDED}), None),
    Step.DRAW: (frozenset({_S.SEEDED}), _S.DRAWN),
    Step.ASSIGN: (frozenset({_S.DRAWN}), _S.ASSIGNED),
    Step.REDRAW: (frozenset({_S.DRAWN, _S.ASSIGNED, _S.IN_INSPECTION}), None),
    Step.START: (frozenset({_S.ASSIGNED}), _S.IN_INSPECTION),
    Step.RESULT: (frozenset({_S.IN_INSPECTION, _S.RESULTS}), None),
    Step.REVIEW: (frozenset({_S.IN_INSPECTION, _S.RESULTS}), None),
    Step.CLOSE: (frozenset({_S.IN_INSPECTION}), _S.RESULTS),
    Step.REVEAL: (frozenset({_S.RESULTS}), None),
    Step.PUBLISH: (frozenset({_S.RESULTS}), _S.PUBLISHED),
}

# Once published, the draw and its results are public; before, nobody outside sees drawn targets.
PUBLIC_STATES = frozenset({PlanState.PUBLISHED})


def require(state: PlanState, step: Step) -> None:
    """Raise ``InvalidTransition`` unless ``step`` may run in ``state``."""
    allowed, _ = _STEPS[step]
    if state not in allowed:
        order = list(PlanState)
        where = ", ".join(s.value for s in order if s in allowed)
        raise InvalidTransition(
            f"cannot {step.value}: the plan is {state.value} ({step.value} needs: {where})"
        )


def advance(state: PlanState, step: Step) -> PlanState:
    """The state after ``step`` (checked with ``require``)."""
    require(state, step)
    after = _STEPS[step][1]
    return state if after is None else after
