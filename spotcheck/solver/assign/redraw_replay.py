"""Recompute a quarter's officer redraws from the record with officers (docs/ceremony.md "Redraw seeds",
docs/assign-spec.md §6): the initial draw, then each redraw in order.

A redraw's seed is SHA-256(UTF-8("spotcheck-redraw/1" LF seed LF seq LF subject)), ``seed`` the quarter's seed
in hex, ``subject`` the visit id (a firm) or "visit/department/officer" (an officer). Replaying starts from the
record's teams; a firm redraw adds the new visit with a copy of the old visit's teams (the old visit keeps
them); an officer redraw is recomputed: among the officers ``replacement_candidates`` allows on the seat (the
draw's rules, the seat's capacity units left given every current seat, not on the team nor replaced from it),
the smallest officer number (assign-spec §2) under the redraw seed. Nothing else moves.

Inputs: the record with officers, the frozen city, each firm's previous team, the redraw entries (dicts as
stored, any order). Raises ``VerificationError`` naming the first redraw that differs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from spotcheck.domain.errors import SpotcheckError, VerificationError
from spotcheck.domain.model import City, Visit
from spotcheck.solver.assign.lottery import officer_number
from spotcheck.solver.assign.replace import officer_load, replacement_candidates
from spotcheck.solver.draw.record import visits_of

__all__ = ["REDRAW_FORMAT", "check_redraws", "redraw_seed"]

REDRAW_FORMAT = "spotcheck-redraw/1"


def redraw_seed(seed_hex: str, seq: int, subject: str) -> bytes:
    """The derived lottery of redraw ``seq`` about ``subject`` (docs/ceremony.md "Redraw seeds")."""
    return hashlib.sha256(f"{REDRAW_FORMAT}\n{seed_hex}\n{seq}\n{subject}".encode()).digest()


def check_redraws(
    record: dict[str, Any],
    city: City,
    last_team: Mapping[str, Sequence[str]],
    redraws: Sequence[dict[str, Any]],
) -> int:
    """Replay every redraw on the record's teams; returns how many officer redraws were recomputed."""
    visits = {v.id: v for v in visits_of(record)}
    teams: dict[tuple[str, str], list[str]] = {}
    for v in record.get("visits", []):
        for o in v.get("officers", []):
            teams.setdefault((v["id"], o["department"]), []).append(o["officer"])
    replaced: dict[tuple[str, str], set[str]] = {}
    seed_hex = str(record["seed"]["value"])
    checked = 0
    for entry in sorted(redraws, key=lambda e: int(e.get("seq", 0))):
        seq, visit_id = int(entry["seq"]), str(entry["visit"])
        if entry.get("kind") == "firm":
            old, uscc = visits[visit_id], str(entry["replacement"]["uscc"])
            firm = next(f for f in city.enterprises if f.uscc == uscc)
            new = Visit(
                str(entry["replacement"]["visit"]), uscc, firm.district, old.lead, old.departments, old.items
            )
            visits[new.id] = new
            for d in old.departments:
                if (visit_id, d) in teams:
                    teams[(new.id, d)] = list(teams[(visit_id, d)])
            continue
        department, officer = str(entry["department"]), str(entry["replaced"])
        seat = (visit_id, department)
        team = teams.get(seat, [])
        if officer not in team:
            raise VerificationError(f"redraw {seq}: {officer} is not on {department}'s team for {visit_id}")
        load = officer_load(
            ((o, visits[v].joint) for (v, _), members in teams.items() for o in members),
            _weight(city),
        )
        try:
            eligible = replacement_candidates(
                city,
                visits[visit_id],
                department,
                last_team=last_team,
                team=set(team) | replaced.get(seat, set()),
                load=load,
            )
        except SpotcheckError as exc:
            raise VerificationError(f"redraw {seq} cannot be recomputed: {exc}") from exc
        seed = redraw_seed(seed_hex, seq, f"{visit_id}/{department}/{officer}")
        found = min(((officer_number(seed, visit_id, o), o) for o in eligible), default=None)
        stated = entry.get("replacement", {})
        expected = None if found is None else {"officer": found[1], "lottery": str(found[0])}
        if expected != {"officer": stated.get("officer"), "lottery": stated.get("lottery")} or entry.get(
            "candidates"
        ) != len(eligible):
            raise VerificationError(
                f"redraw {seq} ({visit_id} {department}, replacing {officer}) differs: recomputed "
                f"{expected} of {len(eligible)} candidates, recorded {stated} of {entry.get('candidates')}"
            )
        team[team.index(officer)] = found[1] if found else officer
        replaced.setdefault(seat, set()).add(officer)
        checked += 1
    return checked


def _weight(city: City) -> int:
    if city.plan is None:
        raise VerificationError("redraws are recomputed with the quarter's plan (joint visit weight)")
    return city.plan.joint_visit_weight
