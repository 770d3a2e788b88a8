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
from spotcheck.solver.assign.prune import cost_order, kept_arcs

__all__ = ["FlowInput", "FlowOutput", "network_flow", "read_off", "solve_flow"]


@dataclass(frozen=True)
class FlowInput:
    """Slots in a fixed order; per slot its team, weight and candidates with their lottery numbers."""

    capacity: np.ndarray  # int64 per officer: capacity units in the quarter
    team: np.ndarray  # int64 per slot
    weight: np.ndarray  # int64 per slot: capacity units one seat costs (joint visits may weigh more)
    slot_of_arc: np.ndarray  # int32 (or int64) per candidate arc: a province has tens of millions of arcs
    officer_of_arc: np.ndarray  # int32 (or int64) per candidate arc
    number_of_arc: np.ndarray  # uint64 per candidate arc: the officer's lottery number for the visit
    rank: np.ndarray  # int64 per slot: 0 for the team staffed first when capacity binds (visit lottery)
    group: np.ndarray | None = None  # int per slot: teams of different groups share no officer (departments)


@dataclass(frozen=True)
class FlowOutput:
    chosen: np.ndarray  # bool per candidate arc
    short: np.ndarray  # bool per slot: released because its team could not be filled
    rounds: int
    readmitted: int  # released teams staffed afterwards from spare capacity


def solve_flow(data: FlowInput) -> FlowOutput:
    """Staff every slot that can be staffed in full, at least total lottery cost; deterministic."""
    cost = (data.number_of_arc >> np.uint64(COST_SHIFT)).astype(np.int64)
    order = cost_order(data.slot_of_arc, cost)
    first = read_off(data, cost, order)
    if first is not None:  # the first solve's unique optimum, known without building the network
        return FlowOutput(first, np.zeros(len(data.team), dtype=bool), 1, 0)
    return network_flow(data, cost, order)


def read_off(data: FlowInput, cost: np.ndarray, order: np.ndarray) -> np.ndarray | None:
    """The first solve's answer when it can be read off without the solver, else None.

    When the arcs the first solve needs (``prune.kept_arcs``) are exactly each team's ``team`` cheapest
    officers, and they leave every officer within capacity in seats and in units, they are the only flow of
    the most seats at the least cost, so the solver would return them, and they stand (every team full). At a
    province's pools (hundreds of eligible officers a team) this spares building the network (docs/scale.md).
    """
    live = np.ones(len(cost), dtype=bool)
    kept = kept_arcs(data.slot_of_arc, data.officer_of_arc, cost, order, live, data.team, data.capacity)
    if (np.bincount(data.slot_of_arc[kept], minlength=len(data.team)) != data.team).any():
        return None  # ties at a team's boundary, or capacity binds: the network decides
    officers = data.officer_of_arc[kept]
    seats = np.bincount(officers, minlength=len(data.capacity))
    load = np.bincount(officers, weights=data.weight[data.slot_of_arc[kept]], minlength=len(data.capacity))
    if (seats > data.capacity).any() or (load.astype(np.int64) > data.capacity).any():
        return None
    return kept


def network_flow(data: FlowInput, cost: np.ndarray, order: np.ndarray) -> FlowOutput:
    """``solve_flow`` by the network, round by round (``cost``: each arc's, number >> 32; ``order``:
    ``prune.cost_order``); each round's network holds the arcs ``prune.kept_arcs`` keeps."""
    n_officers, n_slots = len(data.capacity), len(data.team)
    visits_left = data.capacity.astype(np.int64).copy()
    short = np.zeros(n_slots, dtype=bool)
    rounds = 0
    ranked = False  # a first solve without team ranks stands if it fills every team within capacity
    while True:
        rounds += 1
        live = ~short[data.slot_of_arc]
        live = kept_arcs(data.slot_of_arc, data.officer_of_arc, cost, order, live, data.team, visits_left)
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
    """One max-flow-min-cost solve over the live arcs; returns the flow on each live candidate arc. Groups
    of teams that share no officer (``data.group``: a department's) are solved as networks of their own, with
    the same costs and bonuses: the optimum of the whole is theirs side by side, and one group's network is
    what the solver holds at a time (docs/scale.md)."""
    slots = np.flatnonzero(~short)
    flows = np.zeros(int(live.sum()), np.int64)
    if len(slots) == 0 or not live.any():
        return flows
    step = _bonus_step(len(data.team), 2 + n_officers + len(data.team)) if ranked else 0
    group = data.group if data.group is not None else np.zeros(len(data.team), np.int64)
    for g in np.unique(group[slots]).tolist():
        theirs = slots[group[slots] == g]
        mine = np.zeros(len(data.team), dtype=bool)
        mine[theirs] = True
        arcs = live & mine[data.slot_of_arc]
        flows[arcs[live]] = _network(data, cost, arcs, visits_left, theirs, n_officers, step)
    return flows


def _network(
    data: FlowInput,
    cost: np.ndarray,
    live: np.ndarray,
    visits_left: np.ndarray,
    slots: np.ndarray,
    n_officers: int,
    step: int,
) -> np.ndarray:
    """The network of ``slots`` and the ``live`` arcs into them (every officer's source arc; node numbers as
    in the whole network); the flow on each live arc."""
    source, sink, first_officer = 0, 1, 2
    first_slot = first_officer + n_officers
    officers = np.arange(n_officers, dtype=np.int64)
    tails = np.concatenate(
        [np.zeros(n_officers, np.int64), first_officer + data.officer_of_arc[live], first_slot + slots]
    )
    heads = np.concatenate(
        [first_officer + officers, first_slot + data.slot_of_arc[live], np.full(len(slots), sink, np.int64)]
    )
    caps = np.concatenate([visits_left, np.ones(int(live.sum()), np.int64), data.team[slots]])
    bonus = (len(data.team) - data.rank[slots]) * step
    costs = np.concatenate([np.zeros(n_officers, np.int64), cost[live], -bonus])
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    del tails, heads, caps, costs  # the solver holds its own copies: at a province, gigabytes
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
