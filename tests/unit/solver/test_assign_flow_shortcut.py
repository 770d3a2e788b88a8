"""The flow's shortcut (docs/assign-spec.md §4): where each team's cheapest officers fit, reading them off gives
the network's own answer; where capacity binds or a team's boundary ties, the network decides."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pytest

from spotcheck.solver.assign.flow import FlowInput, FlowOutput, _cheapest_teams, network_flow, solve_flow
from spotcheck.solver.assign.lottery import COST_SHIFT


def _numbers(label: str, n: int) -> np.ndarray:
    digest = b"".join(hashlib.sha256(f"{label}/{i}".encode()).digest()[:8] for i in range(n))
    return np.frombuffer(digest, dtype=">u8").astype(np.uint64)


def _flow_input(seed: str, *, officers: int, slots: int, capacity: int, weight: int = 1) -> FlowInput:
    """Random pools of 3 to 9 officers; teams of 2 or 3; every officer the same capacity."""
    sizes = [3 + int(x % 7) for x in _numbers(f"{seed}/size", slots)]
    pools = [
        np.sort(np.unique(_numbers(f"{seed}/pool/{s}", 12) % officers).astype(np.int64))[: sizes[s]]
        for s in range(slots)
    ]
    pools = [p if len(p) >= 3 else np.arange(3, dtype=np.int64) for p in pools]
    teams = np.array([2 + int(x % 2) for x in _numbers(f"{seed}/team", slots)], dtype=np.int64)
    arcs = sum(len(p) for p in pools)
    return FlowInput(
        capacity=np.full(officers, capacity, dtype=np.int64),
        team=teams,
        weight=np.array([weight if s % 4 == 0 else 1 for s in range(slots)], dtype=np.int64),
        slot_of_arc=np.repeat(np.arange(slots, dtype=np.int64), [len(p) for p in pools]),
        officer_of_arc=np.concatenate(pools),
        number_of_arc=_numbers(f"{seed}/number", arcs),
        rank=np.argsort(_numbers(f"{seed}/rank", slots)).argsort().astype(np.int64),
    )


def _cost(data: FlowInput) -> np.ndarray:
    return (data.number_of_arc >> np.uint64(COST_SHIFT)).astype(np.int64)


def _same(a: FlowOutput, b: FlowOutput) -> None:
    assert np.array_equal(a.chosen, b.chosen)
    assert np.array_equal(a.short, b.short)
    assert (a.rounds, a.readmitted) == (b.rounds, b.readmitted)


@pytest.mark.parametrize("seed", ["🐢", "odd-7", "x"])
def test_the_shortcut_gives_the_networks_answer_where_capacity_is_ample(seed: str) -> None:
    data = _flow_input(seed, officers=40, slots=120, capacity=100)
    assert _cheapest_teams(data, _cost(data)) is not None
    _same(solve_flow(data), network_flow(data, _cost(data)))


@pytest.mark.parametrize("seed", ["🐢", "odd-7", "x"])
@pytest.mark.parametrize("weight", [1, 2])
def test_where_capacity_binds_the_network_decides_and_gives_the_same_answer(seed: str, weight: int) -> None:
    data = _flow_input(seed, officers=40, slots=120, capacity=7, weight=weight)
    assert _cheapest_teams(data, _cost(data)) is None
    out = solve_flow(data)
    _same(out, network_flow(data, _cost(data)))
    assert out.rounds > 1 or out.short.any()


def test_a_tie_at_a_teams_boundary_is_left_to_the_network() -> None:
    data = _flow_input("tie", officers=40, slots=10, capacity=100)
    numbers = data.number_of_arc.copy()
    first = np.flatnonzero(data.slot_of_arc == 0)
    ordered = first[np.argsort(numbers[first] >> np.uint64(COST_SHIFT), kind="stable")]
    team = int(data.team[0])
    # the next officer gets the last one's cost (the low 32 bits differ, the cost does not)
    numbers[ordered[team]] = (
        numbers[ordered[team - 1]] >> np.uint64(COST_SHIFT) << np.uint64(COST_SHIFT)
    ) | 1
    tied = dataclasses.replace(data, number_of_arc=numbers)
    assert _cheapest_teams(tied, _cost(tied)) is None
    _same(solve_flow(tied), network_flow(tied, _cost(tied)))


def test_no_teams() -> None:
    data = _flow_input("none", officers=5, slots=1, capacity=10)
    empty = FlowInput(
        capacity=data.capacity,
        team=np.zeros(0, np.int64),
        weight=np.zeros(0, np.int64),
        slot_of_arc=np.zeros(0, np.int64),
        officer_of_arc=np.zeros(0, np.int64),
        number_of_arc=np.zeros(0, np.uint64),
        rank=np.zeros(0, np.int64),
    )
    _same(solve_flow(empty), network_flow(empty, _cost(empty)))
