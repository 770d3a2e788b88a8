"""The lawful lottery as a min-cost flow (docs/assign-spec.md §4), solved with OR-Tools SimpleMinCostFlow.

    source ──cap: seats left──▶ officer ──cap 1, cost: number >> 32──▶ team ──cap: size, −rank bonus──▶ sink

Arc capacity 1 from an officer to a team means one officer never fills two seats of the same team. With no
binding capacity each team is the ``team`` smallest numbers among its eligible officers, so every eligible
officer is equally likely. Where capacity binds, a bonus by the team's rank (the visit's own lottery) makes the
shortage fall on whole low-ranked teams. The flow counts seats; joint visits weighing more than one capacity
unit are handled by lowering an overloaded officer's seat allowance by the excess and solving again. A team the
flow cannot fill completely is released (never sent half-staffed) and the rest is solved again; released teams
are then re-admitted, in rank order, where the capacity left over can staff them whole (smallest numbers
first). Arcs are built as numpy arrays in one call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from spotcheck.domain.errors import StaffingError
from spotcheck.solver.assign.lottery import COST_SHIFT

__all__ = ["FlowInput", "FlowOutput", "network_flow", "solve_flow"]


@dataclass(frozen=True)
class FlowInput:
    """Slots in a fixed order; per slot its team, weight and candidates with their lottery numbers."""

    capacity: np.ndarray  # int64 per officer: capacity units in the quarter
    team: np.ndarray  # int64 per slot
    weight: np.ndarray  # int64 per slot: capacity units one seat costs (joint visits may weigh more)
    slot_of_arc: np.ndarray  # int64 per candidate arc
    officer_of_arc: np.ndarray  # int64 per candidate arc
    number_of_arc: np.ndarray  # uint64 per candidate arc: the officer's lottery number for the visit
    rank: np.ndarray  # int64 per slot: 0 for the team staffed first when capacity binds (visit lottery)


@dataclass(frozen=True)
class FlowOutput:
    chosen: np.ndarray  # bool per candidate arc
    short: np.ndarray  # bool per slot: released because its team could not be filled
    rounds: int
    readmitted: int  # released teams staffed afterwards from spare capacity


def solve_flow(data: FlowInput) -> FlowOutput:
    """Staff every slot that can be staffed in full, at least total lottery cost; deterministic."""
    cost = (data.number_of_arc >> np.uint64(COST_SHIFT)).astype(np.int64)
    cheapest = _cheapest_teams(data, cost)
    if cheapest is not None:  # the first solve's unique optimum, known without building the network
        return FlowOutput(cheapest, np.zeros(len(data.team), dtype=bool), 1, 0)
    return network_flow(data, cost)


def network_flow(data: FlowInput, cost: np.ndarray) -> FlowOutput:
    """``solve_flow`` by the network alone, round by round (``cost``: each arc's, number >> 32)."""
    n_officers, n_slots = len(data.capacity), len(data.team)
    visits_left = data.capacity.astype(np.int64).copy()
    short = np.zeros(n_slots, dtype=bool)
    rounds = 0
    ranked = False  # a first solve without team ranks stands if it fills every team within capacity
    while True:
        rounds += 1
        live = ~short[data.slot_of_arc]
        flow = _solve_once(data, cost, live, visits_left, short, n_officers, ranked=ranked)
        chosen = np.zeros(len(cost), dtype=bool)
        chosen[live] = flow > 0
        filled = np.bincount(data.slot_of_arc[chosen], minlength=n_slots)
        partial = ~short & (filled < data.team)
        chosen &= ~partial[data.slot_of_arc]  # released teams free their seats in this same round
        seats = np.bincount(data.officer_of_arc[chosen], minlength=n_officers)
        load = np.bincount(
            data.officer_of_arc[chosen], weights=data.weight[data.slot_of_arc[chosen]], minlength=n_officers
        ).astype(np.int64)
        over = load - data.capacity
        if partial.any() or (over > 0).any():
            if not ranked:  # capacity binds, so the ranks matter: solve this round again with them
                ranked = True
                continue
            short |= partial
            visits_left = np.where(over > 0, np.maximum(seats - over, 0), visits_left)
            continue
        readmitted = _readmit(data, chosen, short, data.capacity - load)
        return FlowOutput(chosen, short, rounds, readmitted)


def _cheapest_teams(data: FlowInput, cost: np.ndarray) -> np.ndarray | None:
    """The first solve's answer when it can be read off without the solver, else None.

    Each team takes its ``team`` cheapest officers. When every team's last one is strictly cheaper than its
    next, and no officer is then over capacity in units, that is the only flow of the most seats at the least
    cost (any other one moves a seat to a dearer officer), so it is what the first solve returns, and it stands
    (every team full, within capacity). At a province's pools (hundreds of eligible officers a team) this
    spares the network of every officer-team arc (docs/scale.md)."""
    n_slots = len(data.team)
    starts = np.searchsorted(data.slot_of_arc, np.arange(n_slots + 1))
    order = np.argsort((data.slot_of_arc << 32) | cost, kind="stable")  # each team's arcs, cheapest first
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order), dtype=np.int64) - np.repeat(starts[:-1], np.diff(starts))
    chosen: np.ndarray = place < data.team[data.slot_of_arc]
    del place
    last = (starts[:-1] + data.team - 1)[starts[:-1] + data.team < starts[1:]]  # teams with a next officer
    if (cost[order[last]] == cost[order[last + 1]]).any():
        return None  # a tie at a team's boundary: the solver's own order decides it
    officers = data.officer_of_arc[chosen]
    seats = np.bincount(officers, minlength=len(data.capacity))
    load = np.bincount(officers, weights=data.weight[data.slot_of_arc[chosen]], minlength=len(data.capacity))
    if (seats > data.capacity).any() or (load.astype(np.int64) > data.capacity).any():
        return None  # capacity binds: the network decides
    return chosen


def _readmit(data: FlowInput, chosen: np.ndarray, short: np.ndarray, spare: np.ndarray) -> int:
    """Staff released teams from the capacity left over, in rank order, smallest numbers first.

    The flow may spread a shortage over several teams, each one seat short, and all are released; once the
    rest is settled some of them fit again. Updates ``chosen`` and ``short`` in place; returns how many.
    """
    starts = np.searchsorted(data.slot_of_arc, np.arange(len(data.team) + 1))
    count = 0
    for s in sorted(np.flatnonzero(short).tolist(), key=lambda s: int(data.rank[s])):
        arcs = np.arange(starts[s], starts[s + 1])
        weight, team = int(data.weight[s]), int(data.team[s])
        free = arcs[spare[data.officer_of_arc[arcs]] >= weight]
        if len(free) < team:
            continue
        picked = free[np.argsort(data.number_of_arc[free], kind="stable")[:team]]
        chosen[picked] = True
        spare[data.officer_of_arc[picked]] -= weight
        short[s] = False
        count += 1
    return count


def _solve_once(
    data: FlowInput,
    cost: np.ndarray,
    live: np.ndarray,
    visits_left: np.ndarray,
    short: np.ndarray,
    n_officers: int,
    *,
    ranked: bool,
) -> np.ndarray:
    """One max-flow-min-cost solve over the live arcs; returns the flow on each live candidate arc."""
    source, sink, first_officer = 0, 1, 2
    first_slot = first_officer + n_officers
    slots = np.flatnonzero(~short)
    officers = np.arange(n_officers, dtype=np.int64)
    tails = np.concatenate(
        [np.zeros(n_officers, np.int64), first_officer + data.officer_of_arc[live], first_slot + slots]
    )
    heads = np.concatenate(
        [first_officer + officers, first_slot + data.slot_of_arc[live], np.full(len(slots), sink, np.int64)]
    )
    caps = np.concatenate([visits_left, np.ones(int(live.sum()), np.int64), data.team[slots]])
    step = _bonus_step(len(data.team), first_slot + len(data.team)) if ranked else 0
    bonus = (len(data.team) - data.rank[slots]) * step
    costs = np.concatenate([np.zeros(n_officers, np.int64), cost[live], -bonus])
    if len(slots) == 0 or not live.any():
        return np.zeros(int(live.sum()), np.int64)
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    demand = int(data.team[slots].sum())
    solver.set_node_supply(source, demand)
    solver.set_node_supply(sink, -demand)
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise StaffingError(f"the assignment flow did not solve to optimality (status {status})")
    flows: np.ndarray = solver.flows(arcs[n_officers : n_officers + int(live.sum())])
    return flows


def _bonus_step(n_slots: int, n_nodes: int) -> int:
    """Seats at a higher-ranked team earn 2^32 more (above any officer cost), so a shortage falls on the
    lowest-ranked teams instead of a seat here and there; smaller where the solver's int64 range needs it."""
    return int(min(1 << COST_SHIFT, (1 << 61) // max(1, (n_slots + 1) * (n_nodes + 1))))
