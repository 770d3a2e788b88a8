"""The inspector draw in the record (docs/assign-spec.md §7): attach it, and verify a published one.

``attach_assignments`` returns a new record whose visits carry ``officers`` and which has an ``assignment``
section (algorithm, config, decisions, staffing problems, caps that cannot hold, counts). The target part of
the record is untouched, so the target draw's verification is unaffected. ``verify_assignments`` recomputes the
section and every visit's officers from the target part, the city, the history and the record's own
decisions and config, and names the first difference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spotcheck.domain.errors import SpotcheckError, ValidationError, VerificationError
from spotcheck.domain.model import City
from spotcheck.solver.assign.inputs import (
    config_from_dict,
    config_to_dict,
    decision_to_dict,
    decisions_from_dict,
    last_teams,
)
from spotcheck.solver.assign.options import refuse_other
from spotcheck.solver.assign.solve import assign
from spotcheck.solver.assign.types import AssignConfig, AssignmentResult, Decision
from spotcheck.solver.difference import first_difference
from spotcheck.solver.draw.prn import parse_seed
from spotcheck.solver.draw.record import dump_record, record_digest, target_part, visits_of
from spotcheck.solver.draw.snapshot_check import frozen_options, refuse_changed_inputs

__all__ = ["ASSIGN_ALGORITHM", "attach_assignments", "verify_assignments"]

ASSIGN_ALGORITHM = "officer-flow/1"


def attach_assignments(
    record: dict[str, Any],
    city: City,
    history: Sequence[dict[str, Any]],
    *,
    decisions: Sequence[Decision] | None = None,
    config: AssignConfig | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """A new record with the quarter's officers drawn; keeps the record's decisions unless given. A draw
    record's snapshot fixes the options and the inputs (assign-spec §8): a ``config`` that differs from the
    frozen one, or inputs changed since, are refused (ValidationError naming them). A bare record without a
    snapshot (tests) takes ``config``, else the record's own, else the defaults."""
    earlier = record.get("assignment", {})
    if decisions is None:
        decisions = decisions_from_dict(earlier.get("decisions", []), "the record's decisions")
    if isinstance(record.get("snapshot"), dict):
        frozen = frozen_options(record)
        if config is not None:
            refuse_other(
                frozen, {"probability_cap": config.probability_cap, "max_pair_visits": config.max_pair_visits}
            )
        config = frozen.config
        refuse_changed_inputs(record, city, history)
    elif config is None:
        config = config_from_dict(earlier["config"]) if "config" in earlier else AssignConfig()
    base = target_part(record)
    _check_history(base, history)
    seed = parse_seed(str(base.get("seed", {}).get("value", "")))
    result = assign(
        visits_of(base),
        city,
        seed=seed,
        last_team=last_teams(history),
        decisions=decisions,
        config=config,
        progress=progress,
    )
    out = base  # target_part made its visits new dicts: adding officers to them leaves ``record`` as it was
    by_visit: dict[str, list[dict[str, Any]]] = {}
    for p in result.picks:
        by_visit.setdefault(p.visit, []).append(
            {"department": p.department, "officer": p.officer, "leader": p.leader, "lottery": str(p.lottery)}
        )
    for visit in out["visits"]:
        visit["officers"] = by_visit.get(visit["id"], [])
    out["assignment"] = _section(result, history, decisions, config)
    return out


def _check_history(record: dict[str, Any], history: Sequence[dict[str, Any]]) -> None:
    """Rotation reads only earlier quarters: a history record of this quarter or later is a mistake."""
    now = (record.get("year"), record.get("quarter"))
    for h in history:
        when = (h.get("year"), h.get("quarter")) if isinstance(h, dict) else (None, None)
        if not all(isinstance(x, int) for x in (*when, *now)) or when >= now:
            raise ValidationError(
                f"history record {when[0]}Q{when[1]} is not a quarter before {now[0]}Q{now[1]}"
            )


def _section(
    result: AssignmentResult,
    history: Sequence[dict[str, Any]],
    decisions: Sequence[Decision],
    config: AssignConfig,
) -> dict[str, Any]:
    cited = sorted(
        (
            {"year": h.get("year"), "quarter": h.get("quarter"), "digest": record_digest(h)}
            for h in history
            if any(isinstance(v, dict) and v.get("officers") for v in h.get("visits", []))
        ),
        key=lambda c: (c["year"], c["quarter"], c["digest"]),
    )
    return {
        "algorithm": ASSIGN_ALGORITHM,
        "config": config_to_dict(config),
        "rotation_history": cited,
        "decisions": [decision_to_dict(d) for d in decisions],
        "problems": [
            {
                "visit": p.visit,
                "department": p.department,
                "rule": p.rule,
                "needed": p.needed,
                "eligible": p.eligible,
                "fix": p.fix,
            }
            for p in result.problems
        ],
        "caps_unmet": [
            {
                "department": c.department,
                "district": c.district,
                "team": c.team,
                "eligible": c.eligible,
                "probability": str(c.probability),
                "visits": c.visits,
                "example": c.example,
            }
            for c in result.caps_unmet
        ],
        "pairs_over_cap": [{"officers": [a, b], "together": n} for a, b, n in result.pairs_over_cap],
        "stats": dict(sorted(result.stats.items())),
    }


def verify_assignments(record: dict[str, Any], city: City, history: Sequence[dict[str, Any]]) -> None:
    """Raise VerificationError at the first difference between the record's officers and a fresh draw."""
    section = record.get("assignment")
    if not isinstance(section, dict):
        raise VerificationError("the record has no assignment section to verify")
    if section.get("algorithm") != ASSIGN_ALGORITHM:
        raise VerificationError(f"unknown inspector-draw algorithm {section.get('algorithm')!r}")
    try:
        fresh = attach_assignments(record, city, history)
    except (SpotcheckError, KeyError, TypeError) as exc:
        if isinstance(exc, VerificationError):
            raise
        raise VerificationError(f"the inspector draw cannot be recomputed from these inputs: {exc}") from exc
    if section.get("rotation_history") != fresh["assignment"]["rotation_history"]:
        raise VerificationError(
            "the history given is not the one the inspector draw read (rotation): the record cites "
            f"{_cited(section.get('rotation_history'))}, the given history has "
            f"{_cited(fresh['assignment']['rotation_history'])}"
        )
    published = {
        "assignment": section,
        "visits": [{"officers": v.get("officers")} for v in record.get("visits", [])],
    }
    recomputed = {
        "assignment": fresh["assignment"],
        "visits": [{"officers": v["officers"]} for v in fresh["visits"]],
    }
    if dump_record(published) != dump_record(recomputed):
        where = first_difference(published, recomputed) or "$ (canonical bytes)"
        raise VerificationError(f"the recomputed inspector draw differs from the record at {where}")


def _cited(history: Any) -> str:
    if not isinstance(history, list) or not history:
        return "no record with officers"
    return ", ".join(f"{h.get('year')}Q{h.get('quarter')} ({str(h.get('digest'))[:12]}…)" for h in history)
