"""The plan moves forward one guarded step at a time; a step twice is refused, never run again."""

from __future__ import annotations

import pytest

from spotcheck.domain.errors import InvalidTransition
from spotcheck.domain.lifecycle import PlanState, Step, advance, require

# each step of a quarter and the state it leads to, in order
HAPPY = {
    Step.FREEZE: PlanState.FROZEN,
    Step.BEACON: PlanState.SEEDED,
    Step.DRAW: PlanState.DRAWN,
    Step.ASSIGN: PlanState.ASSIGNED,
    Step.START: PlanState.IN_INSPECTION,
    Step.CLOSE: PlanState.RESULTS,
    Step.PUBLISH: PlanState.PUBLISHED,
}


def test_the_quarter_walks_every_state_in_order() -> None:
    state = PlanState.DRAFT
    for step, expected in HAPPY.items():
        state = advance(state, step)
        assert state is expected
    assert list(HAPPY.values()) == list(PlanState)[1:]


@pytest.mark.parametrize(("step", "after"), HAPPY.items())
def test_a_step_twice_is_refused(step: Step, after: PlanState) -> None:
    with pytest.raises(InvalidTransition, match=f"the plan is {after.value}"):
        advance(after, step)


def test_no_draw_before_the_seed_and_no_commitment_after_the_freeze() -> None:
    with pytest.raises(InvalidTransition, match="cannot draw"):
        require(PlanState.FROZEN, Step.DRAW)
    with pytest.raises(InvalidTransition, match="cannot commit"):
        require(PlanState.FROZEN, Step.COMMIT)
    require(PlanState.DRAFT, Step.COMMIT)


def test_side_steps_keep_the_state() -> None:
    assert advance(PlanState.ASSIGNED, Step.REDRAW) is PlanState.ASSIGNED
    assert advance(PlanState.IN_INSPECTION, Step.RESULT) is PlanState.IN_INSPECTION
    assert advance(PlanState.RESULTS, Step.REVEAL) is PlanState.RESULTS


def test_secrets_are_revealed_only_after_the_inspections() -> None:
    with pytest.raises(InvalidTransition, match="cannot reveal"):
        require(PlanState.IN_INSPECTION, Step.REVEAL)
    with pytest.raises(InvalidTransition, match="cannot redraw"):
        require(PlanState.PUBLISHED, Step.REDRAW)
