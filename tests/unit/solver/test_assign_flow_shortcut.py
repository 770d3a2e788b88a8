"""The flow's shortcuts (docs/assign-spec.md §4): where each team's cheapest officers fit, reading them off gives
the network's own answer; where capacity binds or a team's boundary ties, the network of the kept arcs
decides, as the whole network would."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pytest

from spotcheck.solver.assign import flow
from spotcheck.solver.assign.flow import FlowInput, FlowOutput, network_flow, read_off, solve_flow
from spotcheck.solver.assign.lottery import COST_SHIFT
from spotcheck.solver.assign.prune import cost_order, kept_arcs


def _numbers(label: str, n: int) -> np.ndarray:
    digest = b"".join(hashlib.sha256(f"{label}/{i}".encode()).digest()[:8] for i in range(n))
    return np.frombuffer(digest, dtype=">u8").astype(np.uint64)


def _flow_input(seed: str, *, officers: int, slots: int, capacity: int, weight: int = 1) -> FlowInput:
    """Three groups of officers and teams (slot s and officer o in group s % 3 and o % 3, as departments are);
    random pools of 3 to 9 officers of the team's group; teams of 2 or 3; every officer the same capacity."""
    sizes = [3 + int(x % 7) for x in _numbers(f"{seed}/size", slots)]
    pools = [
        np.unique(_numbers(f"{seed}/pool/{s}", 12) % (officers // 3) * 3 + s % 3).astype(np.int64)[: sizes[s]]
        for s in range(slots)
    ]
    pools = [p if len(p) >= 3 else np.array([0, 3, 6], dtype=np.int64) + s % 3 for s, p in enumerate(pools)]
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
        group=np.arange(slots, dtype=np.int64) % 3,
    )


def _cost(data: FlowInput) -> np.ndarray:
    return (data.number_of_arc >> np.uint64(COST_SHIFT)).astype(np.int64)


def _order(data: FlowInput) -> np.ndarray:
    return cost_order(data.slot_of_arc, _cost(data))


def _whole_network(monkeypatch: pytest.MonkeyPatch, data: FlowInput) -> FlowOutput:
    """The flow with every live arc in one network (no arc left out, no group solved apart)."""
    whole = dataclasses.replace(data, group=None)
    with monkeypatch.context() as patch:
        patch.setattr(flow, "kept_arcs", lambda *args: args[4])
        return network_flow(whole, _cost(whole), _order(whole))


def _same(a: FlowOutput, b: FlowOutput) -> None:
    assert np.array_equal(a.chosen, b.chosen)
    assert np.array_equal(a.short, b.short)
    assert (a.rounds, a.readmitted) == (b.rounds, b.readmitted)


@pytest.mark.parametrize("seed", ["🐢", "odd-7", "x"])
def test_the_shortcut_gives_the_networks_answer_where_capacity_is_ample(
    monkeypatch: pytest.MonkeyPatch, seed: str
) -> None:
    data = _flow_input(seed, officers=40, slots=120, capacity=100)
    assert read_off(data, _cost(data), _order(data)) is not None
    _same(solve_flow(data), _whole_network(monkeypatch, data))


@pytest.mark.parametrize("seed", ["🐢", "odd-7", "x"])
@pytest.mark.parametrize("weight", [1, 2])
def test_where_capacity_binds_the_network_decides_and_gives_the_same_answer(
    monkeypatch: pytest.MonkeyPatch, seed: str, weight: int
) -> None:
    data = _flow_input(seed, officers=40, slots=120, capacity=7, weight=weight)
    assert read_off(data, _cost(data), _order(data)) is None
    out = solve_flow(data)
    _same(out, _whole_network(monkeypatch, data))
    assert out.rounds > 1 or out.short.any()


def test_a_tie_at_a_teams_boundary_is_left_to_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
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
    assert read_off(tied, _cost(tied), _order(tied)) is None
    _same(solve_flow(tied), _whole_network(monkeypatch, tied))


def test_no_teams(monkeypatch: pytest.MonkeyPatch) -> None:
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
    _same(solve_flow(empty), _whole_network(monkeypatch, empty))


@pytest.mark.parametrize("seed", ["🐢", "odd-7", "x", "y", "z"])
@pytest.mark.parametrize(("capacity", "weight"), [(7, 1), (7, 2), (5, 1), (9, 2), (100, 1)])
def test_the_network_of_the_kept_arcs_gives_the_whole_networks_answer(
    monkeypatch: pytest.MonkeyPatch, seed: str, capacity: int, weight: int
) -> None:
    data = _flow_input(seed, officers=40, slots=120, capacity=capacity, weight=weight)
    _same(network_flow(data, _cost(data), _order(data)), _whole_network(monkeypatch, data))


def test_arcs_are_left_out_where_pools_are_large() -> None:
    data = _flow_input("large", officers=40, slots=60, capacity=100)
    cost = _cost(data)
    live = np.ones(len(cost), dtype=bool)
    kept = kept_arcs(
        data.slot_of_arc,
        data.officer_of_arc,
        cost,
        cost_order(data.slot_of_arc, cost),
        live,
        data.team,
        data.capacity,
    )
    assert 0 < kept.sum() < len(cost)
    assert (np.bincount(data.slot_of_arc[kept], minlength=len(data.team)) >= data.team).all()
