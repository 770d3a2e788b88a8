"""The inspector draw's options, chosen at the freeze and part of the snapshot (docs/assign-spec.md §8,
docs/draw-spec.md §1).

Three options are not in the plan: the officer–firm probability cap, the most teams one pair of officers may
staff together (``max_pair_visits``) and what happens to teams that cannot be staffed lawfully (``unstaffable``:
``refuse`` the step until a planner decides, or ``defer`` those visits to the next quarter). The plan's own
``joint_visit_weight`` and ``allow_city_level`` are frozen with the plan. After the freeze the options are read
from the snapshot (or the record's ``snapshot.options``); an option given later that differs is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from spotcheck.domain.errors import ValidationError
from spotcheck.solver.assign.inputs import config_from_dict, config_to_dict
from spotcheck.solver.assign.types import AssignConfig

__all__ = ["UNSTAFFABLE", "FrozenOptions", "options_from_dict", "options_to_dict", "refuse_other"]

UNSTAFFABLE = ("refuse", "defer")


@dataclass(frozen=True)
class FrozenOptions:
    """Defaults: cap 1/2, no pair limit, unstaffable teams refuse the step (a planner decides)."""

    config: AssignConfig = field(default_factory=AssignConfig)
    unstaffable: str = "refuse"  # one of UNSTAFFABLE

    @property
    def defer_unstaffable(self) -> bool:
        return self.unstaffable == "defer"


def options_to_dict(options: FrozenOptions) -> dict[str, Any]:
    """``{"max_pair_visits": int | null, "probability_cap": "p/q", "unstaffable": "refuse" | "defer"}``."""
    return {**config_to_dict(options.config), "unstaffable": options.unstaffable}


def options_from_dict(data: Any) -> FrozenOptions:
    """Parse and check the options as written in a snapshot or a record; ValidationError names what is wrong."""
    if not isinstance(data, dict) or set(data) != {"max_pair_visits", "probability_cap", "unstaffable"}:
        raise ValidationError(
            "the frozen inspector-draw options must have exactly max_pair_visits, probability_cap, unstaffable"
        )
    if data["unstaffable"] not in UNSTAFFABLE:
        raise ValidationError(
            f"unstaffable must be one of {', '.join(UNSTAFFABLE)}, not {data['unstaffable']!r}"
        )
    config = config_from_dict(data)
    return FrozenOptions(config, str(data["unstaffable"]))


# How a refusal names each option (the keys are ``options_to_dict``'s).
_NAMED = {
    "probability_cap": "probability cap",
    "max_pair_visits": "max pair",
    "unstaffable": "unstaffable teams",
}


def refuse_other(frozen: FrozenOptions, given: Mapping[str, object]) -> None:
    """ValidationError when an option given at assignment time differs from the frozen one. ``given`` holds only
    the options given, under ``options_to_dict``'s keys; a whole config gives both the cap and the pair limit
    (its None there meaning "no limit")."""
    config = frozen.config
    fixed: dict[str, object] = {
        "probability_cap": config.probability_cap,
        "max_pair_visits": config.max_pair_visits,
    }
    fixed["unstaffable"] = frozen.unstaffable
    differ = [
        f"{_NAMED[name]} {value} (frozen: {fixed[name]})"
        for name, value in given.items()
        if value != fixed[name]
    ]
    if differ:
        raise ValidationError(
            "the inspector draw's options were fixed at the freeze and cannot change: " + "; ".join(differ)
        )
