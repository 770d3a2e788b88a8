"""Which officer→team arcs a solve of the flow needs (docs/assign-spec.md §4): those no optimal flow can avoid
considering, so a province's network holds a few arcs a team instead of every eligible officer.

Why it is exact: in a flow of the most seats at the least cost, a team never holds an officer while a strictly
cheaper one of its candidates, not on the team, has seats left (swapping them would cost less; adding one to a
team not yet full would carry more flow). So if ``full`` is a set of officers that contains every officer
filled to its seat allowance in such a flow, each team's officers lie among its candidates up to the
``team``-th one not in ``full`` (with every candidate tied at that cost). Such a set is found by starting with
no one and adding every officer who is kept on at least as many teams as its allowance, until nothing
changes: an officer filled in an optimal flow but outside that set would hold a seat beyond the cut, whose
team passes over a cheaper officer filled in turn, and so on round a cycle that would lower the cost. Every
optimal flow of the whole network is therefore a flow of the kept arcs, and the solver's answer on them is
the same whenever the optimum is unique (ties need two equal 32-bit costs).
"""

from __future__ import annotations

import numpy as np

__all__ = ["cost_order", "kept_arcs"]


def cost_order(slot_of_arc: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Arc indices sorted by (slot, cost), stable: each team's candidates, cheapest first."""
    if len(cost) == 0:
        return np.zeros(0, dtype=np.int64)
    order: np.ndarray = np.argsort((slot_of_arc.astype(np.int64) << 32) | cost, kind="stable")
    return order


def kept_arcs(
    slot_of_arc: np.ndarray,
    officer_of_arc: np.ndarray,
    cost: np.ndarray,
    order: np.ndarray,
    live: np.ndarray,
    team: np.ndarray,
    seats_left: np.ndarray,
) -> np.ndarray:
    """Bool per arc: the live arcs the solve needs. ``order`` from ``cost_order``; ``live``: bool per arc;
    ``team``: seats per slot; ``seats_left``: each officer's seat allowance (the source arc's capacity)."""
    if not live.all():
        order = order[live[order]]
    slot = slot_of_arc[order].astype(np.int32)  # compact copies: a province has tens of millions of arcs
    officer = officer_of_arc[order].astype(np.int32)
    ordered_cost = cost[order].astype(np.uint32)  # costs are below 2^32 (lottery.COST_SHIFT)
    n_slots = len(team)
    starts = np.searchsorted(slot, np.arange(n_slots + 1))
    need = team.astype(np.int32)
    full = np.zeros(len(seats_left), dtype=bool)
    while True:
        counted = ~full[officer]
        within = np.cumsum(counted, dtype=np.int32)  # counted arcs so far, then so far in the arc's own slot
        within -= np.concatenate(([0], within))[starts[:-1]].astype(np.int32)[slot]
        # the cut of each slot: the cost of its team-th counted arc; every arc when it has fewer
        at_cut = counted & (within == need[slot])
        del within, counted
        cut = np.full(n_slots, np.iinfo(np.uint32).max, dtype=np.uint32)
        cut[slot[at_cut]] = ordered_cost[at_cut]
        del at_cut
        keep = ordered_cost <= cut[slot]
        held = np.bincount(officer[keep], minlength=len(seats_left))
        grown = full | (held >= seats_left)
        if (grown == full).all():
            break
        full = grown
    kept = np.zeros(len(live), dtype=bool)
    kept[order[keep]] = True
    return kept
