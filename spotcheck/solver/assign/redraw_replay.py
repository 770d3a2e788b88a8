"""Recompute a quarter's redraws from the record with officers (docs/ceremony.md "Redraw seeds", "Replacing a
firm", docs/assign-spec.md §6): the initial draw, then each redraw in order of its number.

A redraw's seed is SHA-256(UTF-8("spotcheck-redraw/1" LF seed LF seq LF subject)), ``seed`` the quarter's seed
in hex, ``subject`` the visit id (a firm) or "visit/department/officer" (an officer). Replaying starts from the
record's teams. A firm redraw is recomputed (``spotcheck.solver.draw.replace_firm``: the firms visited so far,
the record's and every earlier replacement, and the visit's current team as inputs); the new visit then gets a
copy of the old visit's teams (the old visit keeps them). An officer redraw is recomputed: among the officers
``replacement_candidates`` allows on the seat (the draw's rules, the seat's capacity units left given every
current seat, not on the team nor replaced from it), the smallest officer number (assign-spec §2) under the
redraw seed. Nothing else moves.

Inputs: the record with officers, the frozen city, the year's earlier records (the target draw's history), each
firm's previous team, the redraw entries (dicts as stored, any order). Raises ``VerificationError`` naming the
first redraw that differs (its number and visit).
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
from spotcheck.solver.draw.replace_firm import FirmRule

__all__ = ["REDRAW_FORMAT", "check_redraws", "firm_context", "redraw_seed"]

REDRAW_FORMAT = "spotcheck-redraw/1"

Teams = dict[tuple[str, str], list[str]]


def redraw_seed(seed_hex: str, seq: int, subject: str) -> bytes:
    """The derived lottery of redraw ``seq`` about ``subject`` (docs/ceremony.md "Redraw seeds")."""
    return hashlib.sha256(f"{REDRAW_FORMAT}\n{seed_hex}\n{seq}\n{subject}".encode()).digest()


def firm_context(
    record: dict[str, Any], earlier: Sequence[dict[str, Any]]
) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """What a firm redraw reads besides the frozen inputs: the firms visited this quarter (the record's and each
    earlier firm redraw's replacement) and, per visit id, the record's visit it stands for (a replacement visit
    stands for the visit it replaced: same tasks, items and tier)."""
    origin = {str(v["id"]): v for v in record.get("visits", [])}
    taken = {str(v["uscc"]) for v in origin.values()}
    for entry in sorted(earlier, key=lambda e: int(e.get("seq", 0))):
        if entry.get("kind") == "firm" and str(entry.get("visit")) in origin:
            replacement = entry.get("replacement", {})
            origin[str(replacement.get("visit"))] = origin[str(entry["visit"])]
            taken.add(str(replacement.get("uscc")))
    return taken, origin


def check_redraws(
    record: dict[str, Any],
    city: City,
    last_team: Mapping[str, Sequence[str]],
    redraws: Sequence[dict[str, Any]],
    *,
    history: Sequence[dict[str, Any]],
) -> int:
    """Recompute every redraw on the record's teams, in order; returns how many were recomputed."""
    visits = {v.id: v for v in visits_of(record)}
    teams: Teams = {}
    for v in record.get("visits", []):
        for o in v.get("officers", []):
            teams.setdefault((v["id"], o["department"]), []).append(o["officer"])
    replaced: dict[tuple[str, str], set[str]] = {}
    seed_hex = str(record["seed"]["value"])
    rule: FirmRule | None = None
    done: list[dict[str, Any]] = []
    for entry in sorted(redraws, key=lambda e: int(e.get("seq", 0))):
        seq, visit_id = int(entry["seq"]), str(entry["visit"])
        if visit_id not in visits:
            raise VerificationError(f"redraw {seq}: visit {visit_id} is in neither the record nor a redraw")
        if entry.get("kind") == "firm":
            try:
                rule = rule or FirmRule(city, history)
            except SpotcheckError as exc:
                raise VerificationError(f"redraw {seq} cannot be recomputed: {exc}") from exc
            new = _check_firm(entry, record, done, rule, visits[visit_id], teams, seed_hex)
            visits[new.id] = new
            for d in new.departments:
                if (visit_id, d) in teams:
                    teams[(new.id, d)] = list(teams[(visit_id, d)])
        else:
            _check_officer(entry, city, last_team, visits, teams, replaced, seed_hex)
        done.append(entry)
    return len(done)


def _check_firm(
    entry: dict[str, Any],
    record: dict[str, Any],
    earlier: Sequence[dict[str, Any]],
    rule: FirmRule,
    old: Visit,
    teams: Teams,
    seed_hex: str,
) -> Visit:
    """Recompute one firm redraw; the new visit (the old one's lead, departments and items)."""
    seq = int(entry["seq"])
    taken, origin = firm_context(record, earlier)
    team = {o for d in old.departments for o in teams.get((old.id, d), [])}
    try:
        found = rule.replace(origin[old.id], seed=redraw_seed(seed_hex, seq, old.id), taken=taken, team=team)
    except SpotcheckError as exc:
        raise VerificationError(f"redraw {seq} cannot be recomputed: {exc}") from exc
    stated = entry.get("replacement", {})
    expected = None
    if found is not None:
        expected = {"visit": rule.visit_id(found.uscc), "uscc": found.uscc, "lottery": str(found.lottery)}
    count = 0 if found is None else found.candidates
    recorded = (
        {k: stated.get(k) for k in ("visit", "uscc", "lottery")} if isinstance(stated, dict) else stated
    )
    if (entry.get("replaced"), recorded, entry.get("candidates")) != (old.uscc, expected, count):
        raise VerificationError(
            f"redraw {seq} (firm of visit {old.id}, replacing {old.uscc}) differs: recomputed {expected} of "
            f"{count} candidates, recorded {stated} of {entry.get('candidates')} replacing {entry.get('replaced')}"
        )
    assert found is not None  # expected equals what the entry states, and a stored entry always has a firm
    return Visit(
        rule.visit_id(found.uscc), found.uscc, rule.district(found.uscc), old.lead, old.departments, old.items
    )


def _check_officer(
    entry: dict[str, Any],
    city: City,
    last_team: Mapping[str, Sequence[str]],
    visits: dict[str, Visit],
    teams: Teams,
    replaced: dict[tuple[str, str], set[str]],
    seed_hex: str,
) -> None:
    """Recompute one officer redraw and put the replacement on the seat."""
    seq, visit_id = int(entry["seq"]), str(entry["visit"])
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


def _weight(city: City) -> int:
    if city.plan is None:
        raise VerificationError("redraws are recomputed with the quarter's plan (joint visit weight)")
    return city.plan.joint_visit_weight
