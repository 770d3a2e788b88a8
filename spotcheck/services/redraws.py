"""Redraws (docs/ceremony.md): a firm turns out closed, an officer falls ill. Never an edit of the draw: each redraw is an
appended record (draws.kind = "redraw", seq 1, 2, …) with its reason and a fresh lottery derived from the seed::

    redraw seed = SHA-256( UTF-8( "spotcheck-redraw/1" LF seed LF seq LF subject ) )      (docs/ceremony.md)

``subject`` is the visit id (firm) or "visit id/department/officer" (officer). The original visit or team stays
in the draw record and in the audit log; a replaced officer's assignment row stays too, with ``superseded_by``
set to the redraw's ``draws.id`` (readers of the current team skip such rows).

- firm (only after the inspector draw): the rule is ``spotcheck.solver.draw.replace_firm`` (docs/ceremony.md
  "Replacing a firm"), fed with the record with officers, the earlier redraws, the visit's current team and the
  frozen inputs; ``audit plan`` recomputes it from the same. The new visit gets the same departments, items and
  team.
- officer: the replacement is, among the officers the inspector draw itself would allow on the seat
  (``spotcheck.solver.assign.replace``: assign-spec §3 eligibility, rotation and experts included, and the seat's
  joint-visit weight left of the officer's capacity), not on the team nor replaced from it, the one with the
  smallest officer number (assign-spec §2) under the redraw seed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select

from spotcheck.domain.errors import InvalidTransition, NotFound, StaffingError, ValidationError
from spotcheck.domain.lifecycle import Step
from spotcheck.domain.model import Visit
from spotcheck.evidence.canonical import canonical_json
from spotcheck.services.common import audit, step
from spotcheck.services.draws import draw_record
from spotcheck.services.freeze import frozen_inputs, frozen_inputs_and_rotation
from spotcheck.solver.assign.inputs import last_teams
from spotcheck.solver.assign.lottery import officer_number
from spotcheck.solver.assign.redraw_replay import REDRAW_FORMAT, check_redraws, firm_context, redraw_seed
from spotcheck.solver.assign.replace import officer_load, replacement_candidates
from spotcheck.solver.draw.replace_firm import FirmRule
from spotcheck.store.quarter import AssignmentRow, DrawRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["REDRAW_FORMAT", "check_plan_redraws", "redraw_firm", "redraw_officer", "redraw_seed"]

# What a replacement firm's visit keeps of the visit it replaces: the departments, items, team and window.
_KEPT = ("lead", "departments", "items", "joint", "window_start", "window_end")


def _begin(uow: UnitOfWork, plan_id: int, visit_id: str, reason: str) -> VisitRow:
    """Inside ``uow``: a redraw needs a reason, a plan at a step that allows it, and a visit of that plan."""
    if not reason.strip():
        raise ValidationError("a redraw needs a reason")
    step(uow, plan_id, Step.REDRAW)
    visit = uow.session.get(VisitRow, visit_id)
    if visit is None or visit.plan_id != plan_id:
        raise NotFound(f"visit {visit_id} is not in plan {plan_id}")
    return visit


def _store(uow: UnitOfWork, plan_id: int, record: dict[str, Any], actor: str) -> DrawRow:
    text = canonical_json(record)
    row = uow.draws.add(plan_id, "redraw", record["seq"], text, hashlib.sha256(text.encode()).hexdigest())
    uow.session.flush()
    audit(uow, "redraw", actor, {"plan": plan_id, "seq": record["seq"], "reason": record["reason"]})
    return row


def redraw_firm(uow: UnitOfWork, plan_id: int, visit_id: str, *, reason: str, actor: str) -> str:
    """Draw a replacement for a visit's firm (e.g. found closed); returns the new visit's id. Only once the
    inspector draw has run: the new visit takes the old one's teams, and the team's recusals are a condition."""
    with uow:
        visit = _begin(uow, plan_id, visit_id, reason)
        record = draw_record(uow, plan_id)
        if "assignment" not in record:
            raise InvalidTransition(
                f"cannot redraw a firm of plan {plan_id} before its inspector draw: the new visit takes the old "
                "one's teams (defer the visit by a decision of the inspector draw instead)"
            )
        city, history, _ = frozen_inputs(uow, plan_id)
        rows = (
            uow.session.execute(
                select(AssignmentRow).where(AssignmentRow.visit_id == visit_id, AssignmentRow.current())
            )
            .scalars()
            .all()
        )
        taken, origin = firm_context(record, _entries(uow, plan_id))
        if visit_id not in origin:
            raise NotFound(f"visit {visit_id} is in neither the record of plan {plan_id} nor a redraw")
        seq = uow.draws.next_seq(plan_id, "redraw")
        rule = FirmRule(city, history)
        found = rule.replace(
            origin[visit_id],
            seed=redraw_seed(record["seed"]["value"], seq, visit_id),
            taken=taken,
            team={a.inspector_id for a in rows},
        )
        if found is None:
            raise StaffingError(
                f"no firm can replace {visit.uscc} on visit {visit_id}: none eligible in the same stratum"
            )
        new_id = rule.visit_id(found.uscc)
        entry = {
            "format": REDRAW_FORMAT,
            "kind": "firm",
            "seq": seq,
            "reason": reason.strip(),
            "visit": visit_id,
            "replaced": visit.uscc,
            "replacement": {"visit": new_id, "uscc": found.uscc, "lottery": str(found.lottery)},
            "candidates": found.candidates,
        }
        row = _store(uow, plan_id, entry, actor)
        uow.session.add(
            VisitRow(
                id=new_id,
                plan_id=plan_id,
                draw_id=row.id,
                uscc=found.uscc,
                district=rule.district(found.uscc),
                **{name: getattr(visit, name) for name in _KEPT},
            )
        )
        uow.session.flush()
        for a in rows:
            uow.session.add(
                AssignmentRow(
                    visit_id=new_id, department=a.department, inspector_id=a.inspector_id, leader=a.leader
                )
            )
        uow.commit()
        return new_id


def redraw_officer(
    uow: UnitOfWork, plan_id: int, visit_id: str, department: str, officer: str, *, reason: str, actor: str
) -> str:
    """Replace one officer of a visit's team (e.g. ill); returns the replacement's id."""
    with uow:
        visit = _begin(uow, plan_id, visit_id, reason)
        city, history, rotation, _ = frozen_inputs_and_rotation(uow, plan_id)
        assert city.plan is not None
        team = {
            a.inspector_id: a
            for a in uow.session.execute(
                select(AssignmentRow).where(
                    AssignmentRow.visit_id == visit_id,
                    AssignmentRow.department == department,
                    AssignmentRow.current(),
                )
            ).scalars()
        }
        if officer not in team:
            raise NotFound(f"{officer} is not on {department}'s team for visit {visit_id}")
        seats = [
            (inspector, bool(joint))
            for inspector, joint in uow.session.execute(
                select(AssignmentRow.inspector_id, VisitRow.joint)
                .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
                .where(VisitRow.plan_id == plan_id, AssignmentRow.current())
            )
        ]
        eligible = replacement_candidates(
            city,
            _as_visit(visit),
            department,
            last_team=last_teams(rotation + history),
            team=set(team) | _replaced(uow, plan_id, visit_id, department),
            load=officer_load(seats, city.plan.joint_visit_weight),
        )
        if not eligible:
            raise StaffingError(f"no eligible {department} officer can replace {officer} on visit {visit_id}")
        record = draw_record(uow, plan_id)
        seq = uow.draws.next_seq(plan_id, "redraw")
        seed = redraw_seed(record["seed"]["value"], seq, f"{visit_id}/{department}/{officer}")
        number, chosen = min((officer_number(seed, visit_id, o), o) for o in eligible)
        entry = {
            "format": REDRAW_FORMAT,
            "kind": "officer",
            "seq": seq,
            "reason": reason.strip(),
            "visit": visit_id,
            "department": department,
            "replaced": officer,
            "replacement": {"officer": chosen, "lottery": str(number)},
            "candidates": len(eligible),
        }
        row = _store(uow, plan_id, entry, actor)
        leader = team[officer].leader
        team[officer].superseded_by = row.id  # kept, marked: published rows are never edited away
        uow.session.flush()
        uow.session.add(
            AssignmentRow(visit_id=visit_id, department=department, inspector_id=chosen, leader=leader)
        )
        uow.commit()
        return chosen


def _as_visit(row: VisitRow) -> Visit:
    departments = tuple(d for d in row.departments.split(";") if d)
    items = tuple(i for i in row.items.split(";") if i)
    return Visit(row.id, row.uscc, row.district, row.lead, departments, items)


def _entries(uow: UnitOfWork, plan_id: int) -> list[dict[str, Any]]:
    """The plan's redraw entries as stored, in order of their number."""
    rows = sorted((r for r in uow.draws.for_plan(plan_id) if r.kind == "redraw"), key=lambda r: r.seq)
    return [json.loads(r.record) for r in rows]


def _replaced(uow: UnitOfWork, plan_id: int, visit_id: str, department: str) -> set[str]:
    """Officers earlier redraws took off this seat's team: a replacement is never one of them."""
    return {
        str(e.get("replaced"))
        for e in _entries(uow, plan_id)
        if e.get("kind") == "officer" and (e.get("visit"), e.get("department")) == (visit_id, department)
    }


def check_plan_redraws(uow: UnitOfWork, plan_id: int, record: dict[str, Any]) -> int:
    """Inside ``uow``: recompute the plan's redraws, firm and officer, in order, from ``record`` (the record with
    officers) and the frozen inputs, history included (``spotcheck.solver.assign.redraw_replay``); returns how
    many were recomputed."""
    entries = _entries(uow, plan_id)
    if not entries:  # nothing to recompute: the frozen snapshot (the firms too) need not be read again
        return 0
    city, history, rotation, _ = frozen_inputs_and_rotation(uow, plan_id)
    return check_redraws(record, city, last_teams(rotation + history), entries, history=history)
