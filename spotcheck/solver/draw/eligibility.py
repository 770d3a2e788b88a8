"""Who may be drawn by which task this quarter (docs/draw-spec.md §4), and the counts the coordination needs.

A firm is eligible for a task when its status is not excluded, it lies in the task's scope, it has had fewer
visits this year than ``max_visits_per_firm_year``, and none of the task's items was checked on it earlier this
year. Eligibility is fixed before the seed is known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import Scope
from spotcheck.solver.draw.frame import KINDS, STATUSES, TIERS, Frame
from spotcheck.solver.draw.history import YearHistory
from spotcheck.solver.draw.tasks import DrawTask

__all__ = ["MAX_TASKS", "Cell", "Eligibility", "eligibility"]

MAX_TASKS = 64  # a firm's set of eligible tasks is one 64-bit mask


@dataclass(frozen=True)
class Cell:
    """Firms of one tier sharing the same set of eligible tasks (bit i = task i); ``new`` = coverage counts them."""

    tier: int
    tasks: int
    new: bool
    count: int


@dataclass(frozen=True)
class Eligibility:
    masks: tuple[np.ndarray, ...]  # per task: bool per firm
    in_scope: tuple[tuple[int, ...], ...]  # per task, per tier: status-ok firms in scope
    eligible: tuple[tuple[int, ...], ...]  # per task, per tier: eligible firms
    excluded: dict[str, object]  # reasons → counts, for the record
    cells: tuple[Cell, ...]
    directory_enterprises: int  # coverage denominator


def _profiles(frame: Frame) -> np.ndarray:
    """One small integer per firm for its (kind, district, industry): scopes are then one table lookup."""
    ndist, nind = max(len(frame.districts), 1), max(len(frame.industries), 1)
    profiles: np.ndarray = (frame.kind.astype(np.int32) * ndist + frame.district) * nind + frame.industry
    return profiles


def _scope_mask(frame: Frame, profile: np.ndarray, scope: Scope) -> np.ndarray:
    kind_ok = np.array([not scope.kinds or k in scope.kinds for k in KINDS])
    districts = [not scope.districts or d in scope.districts for d in frame.districts] or [False]
    industries = [not scope.industries or i in scope.industries for i in frame.industries] or [False]
    table = kind_ok[:, None, None] & np.array(districts)[None, :, None] & np.array(industries)[None, None, :]
    mask: np.ndarray = table.ravel()[profile]
    return mask


def _rows(frame: Frame, usccs: list[str]) -> np.ndarray:
    """Rows of the given codes that are in the frame (codes no longer in the directory are ignored)."""
    if not usccs:
        return np.zeros(0, dtype=np.int64)
    keys = np.array([u.encode("ascii") for u in usccs], dtype="S18")
    at = np.searchsorted(frame.codes, keys)
    at_clipped = np.minimum(at, max(len(frame) - 1, 0))
    found = (at < len(frame)) & (frame.codes[at_clipped] == keys) if len(frame) else np.zeros(len(keys), bool)
    rows: np.ndarray = at[found]
    return rows


def _per_tier(frame: Frame, mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(n) for n in np.bincount(frame.tier[mask], minlength=len(TIERS)))


def eligibility(
    frame: Frame, tasks: tuple[DrawTask, ...], history: YearHistory, max_visits: int
) -> Eligibility:
    """Masks per task, exclusion counts and the cells of firms with the same eligible tasks, by tier."""
    if len(tasks) > MAX_TASKS:
        raise ValidationError(f"a quarter may have at most {MAX_TASKS} tasks, the plan has {len(tasks)}")
    status_out = frame.excluded_status()
    capped_codes = sorted(u for u, n in history.visit_count.items() if n >= max_visits)
    capped = np.zeros(len(frame), dtype=bool)
    capped[_rows(frame, capped_codes)] = True
    capped &= ~status_out
    base = ~status_out & ~capped
    masks, in_scope, eligible, same_item = [], [], [], {}
    profile = _profiles(frame)
    for task in tasks:
        scoped = _scope_mask(frame, profile, task.scope) & ~status_out
        done = sorted(u for u, items in history.items_done.items() if not items.isdisjoint(task.items))
        blocked = np.zeros(len(frame), dtype=bool)
        blocked[_rows(frame, done)] = True
        mask = scoped & base & ~blocked if done else scoped & base
        same_item[task.id] = int(np.count_nonzero(scoped & base & blocked)) if done else 0
        masks.append(mask)
        in_scope.append(_per_tier(frame, scoped))
        eligible.append(_per_tier(frame, mask) if done or capped_codes else in_scope[-1])
    excluded: dict[str, object] = {
        "status": {
            s.value: int(n)
            for s, n in zip(
                STATUSES, np.bincount(frame.status[status_out], minlength=len(STATUSES)), strict=True
            )
            if n
        },
        "visit_cap": int(np.count_nonzero(capped)),
        "same_item": same_item,
    }
    directory = frame.directory_enterprises()
    visited = np.zeros(len(frame), dtype=bool)
    visited[_rows(frame, sorted(history.enterprises))] = True
    cells = _cells(frame, masks, directory & ~visited)
    return Eligibility(
        tuple(masks), tuple(in_scope), tuple(eligible), excluded, cells, int(np.count_nonzero(directory))
    )


def _cells(frame: Frame, masks: list[np.ndarray], new: np.ndarray) -> tuple[Cell, ...]:
    bits = np.zeros(len(frame), dtype=np.uint64)
    for i, mask in enumerate(masks):
        bits |= mask.astype(np.uint64) << np.uint64(i)
    any_task = bits != 0
    cells: list[Cell] = []
    for tier in range(len(TIERS)):
        in_tier = any_task & (frame.tier == tier)
        for flag in (False, True):
            values, counts = np.unique(bits[in_tier & (new == flag)], return_counts=True)
            cells += [Cell(tier, int(v), flag, int(c)) for v, c in zip(values, counts, strict=True)]
    return tuple(cells)
