"""Redraws (issue 6): a firm turns out closed, an officer falls ill. Never an edit of the draw: each redraw is an
appended record (draws.kind = "redraw", seq 1, 2, …) with its reason and a fresh lottery derived from the seed::

    redraw seed = SHA-256( UTF-8( "spotcheck-redraw/1" LF seed LF seq LF subject ) )      (docs/ceremony.md)

``subject`` is the visit id (firm) or "visit id/department/officer" (officer). The original visit or team stays
in the draw record and in the audit log.

- firm: the replacement is, among the frozen directory's firms of the same tier, in every scope of the visit's
  tasks, inspectable (status), not visited this quarter, under the year's visit cap, without any of the items
  this year and not recused by the team, the one with the smallest lottery number under the redraw seed. It gets
  the same departments, items and team.
- officer: the replacement is, among the department's active officers certified for its items on the visit, in
  jurisdiction, not recused, not on the team and under capacity, the one with the smallest officer number
  (assign-spec) under the redraw seed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select

from spotcheck.domain.errors import NotFound, StaffingError, ValidationError
from spotcheck.domain.lifecycle import Step
from spotcheck.domain.model import CITY_LEVEL, EXCLUDED_STATUSES, City
from spotcheck.evidence.canonical import canonical_json
from spotcheck.services.common import audit, step
from spotcheck.services.draws import draw_record
from spotcheck.services.freeze import frozen_inputs
from spotcheck.solver.assign.lottery import officer_number
from spotcheck.solver.draw.frame import from_city, quarter_start
from spotcheck.solver.draw.history import year_history
from spotcheck.solver.draw.prn import lottery_number
from spotcheck.solver.draw.tasks import draw_tasks
from spotcheck.store.quarter import AssignmentRow, DrawRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["REDRAW_FORMAT", "redraw_firm", "redraw_officer", "redraw_seed"]

REDRAW_FORMAT = "spotcheck-redraw/1"


def redraw_seed(seed_hex: str, seq: int, subject: str) -> bytes:
    return hashlib.sha256(f"{REDRAW_FORMAT}\n{seed_hex}\n{seq}\n{subject}".encode()).digest()


def _visit(uow: UnitOfWork, plan_id: int, visit_id: str) -> VisitRow:
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
    """Draw a replacement for a visit's firm (e.g. found closed); returns the new visit's id."""
    if not reason.strip():
        raise ValidationError("a redraw needs a reason")
    with uow:
        step(uow, plan_id, Step.REDRAW)
        visit = _visit(uow, plan_id, visit_id)
        city, history, _ = frozen_inputs(uow, plan_id)
        record = draw_record(uow, plan_id)
        drawn = next(v for v in record["visits"] if v["id"] == visit_id)
        seq = uow.draws.next_seq(plan_id, "redraw")
        seed = redraw_seed(record["seed"]["value"], seq, visit_id)
        team = [
            a.inspector_id
            for a in uow.session.execute(
                select(AssignmentRow).where(AssignmentRow.visit_id == visit_id)
            ).scalars()
        ]
        taken = set(uow.session.execute(select(VisitRow.uscc).where(VisitRow.plan_id == plan_id)).scalars())
        candidates = _firm_candidates(city, history, drawn, taken, set(team))
        if not candidates:
            raise StaffingError(
                f"no firm can replace {visit.uscc} on visit {visit_id}: none eligible in the same stratum"
            )
        lottery, uscc = min((lottery_number(seed, c), c) for c in candidates)
        plan = city.plan
        assert plan is not None
        new_id = f"{plan.year}Q{plan.quarter}-{uscc}"
        entry = {
            "format": REDRAW_FORMAT,
            "kind": "firm",
            "seq": seq,
            "reason": reason.strip(),
            "visit": visit_id,
            "replaced": visit.uscc,
            "replacement": {"visit": new_id, "uscc": uscc, "lottery": str(lottery)},
            "candidates": len(candidates),
        }
        row = _store(uow, plan_id, entry, actor)
        firm = next(f for f in city.enterprises if f.uscc == uscc)
        uow.session.add(
            VisitRow(
                id=new_id,
                plan_id=plan_id,
                draw_id=row.id,
                uscc=uscc,
                district=firm.district,
                lead=visit.lead,
                departments=visit.departments,
                items=visit.items,
                joint=visit.joint,
                window_start=visit.window_start,
                window_end=visit.window_end,
            )
        )
        uow.session.flush()
        for a in (
            uow.session.execute(select(AssignmentRow).where(AssignmentRow.visit_id == visit_id))
            .scalars()
            .all()
        ):
            uow.session.add(
                AssignmentRow(
                    visit_id=new_id, department=a.department, inspector_id=a.inspector_id, leader=a.leader
                )
            )
        uow.commit()
        return new_id


def _firm_candidates(
    city: City, history: list[dict[str, Any]], drawn: dict[str, Any], taken: set[str], team: set[str]
) -> list[str]:
    plan = city.plan
    assert plan is not None
    tasks = {t.id: t for t in draw_tasks(plan, city)}
    hits = [tasks[d["task"]] for d in drawn["draws"]]
    frame = from_city(city, quarter_start(plan.year, plan.quarter))
    kinds = {i.code: i.target_kinds for i in city.items}
    tier_of = {frame.codes[i].decode(): int(frame.tier[i]) for i in range(len(frame))}
    tier = tier_of[drawn["uscc"]]
    past = year_history(history, plan.year, plan.quarter)
    items = set(drawn["items"])
    recused = {c.uscc for c in city.conflicts if c.inspector in team}
    out = []
    for firm in city.enterprises:
        code = firm.uscc
        if code in taken or code in recused or firm.status in EXCLUDED_STATUSES or tier_of.get(code) != tier:
            continue
        if past.visit_count.get(code, 0) >= plan.targets.max_visits_per_firm_year:
            continue
        if items & past.items_done.get(code, frozenset()):
            continue
        if all(t.scope.contains(firm) for t in hits) and all(firm.kind in kinds[i] for i in items):
            out.append(code)
    return sorted(out)


def redraw_officer(
    uow: UnitOfWork, plan_id: int, visit_id: str, department: str, officer: str, *, reason: str, actor: str
) -> str:
    """Replace one officer of a visit's team (e.g. ill); returns the replacement's id."""
    if not reason.strip():
        raise ValidationError("a redraw needs a reason")
    with uow:
        step(uow, plan_id, Step.REDRAW)
        visit = _visit(uow, plan_id, visit_id)
        city, _, _ = frozen_inputs(uow, plan_id)
        plan = city.plan
        assert plan is not None
        team = {
            a.inspector_id: a
            for a in uow.session.execute(
                select(AssignmentRow).where(
                    AssignmentRow.visit_id == visit_id, AssignmentRow.department == department
                )
            ).scalars()
        }
        if officer not in team:
            raise NotFound(f"{officer} is not on {department}'s team for visit {visit_id}")
        fields = {
            i.field for i in city.items if i.code in visit.items.split(";") and i.department == department
        }
        recused = {c.inspector for c in city.conflicts if c.uscc == visit.uscc}
        load = dict(
            uow.session.execute(
                select(AssignmentRow.inspector_id, func.count())
                .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
                .where(VisitRow.plan_id == plan_id)
                .group_by(AssignmentRow.inspector_id)
            ).all()
        )
        eligible = sorted(
            o.id
            for o in city.inspectors
            if o.department == department
            and o.active
            and o.id not in team
            and o.id not in recused
            and fields <= set(o.fields)
            and (o.district == visit.district or (o.district == CITY_LEVEL and plan.allow_city_level))
            and load.get(o.id, 0) < o.capacity
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
        _store(uow, plan_id, entry, actor)
        leader = team[officer].leader
        uow.session.delete(team[officer])  # the current team; the redraw record keeps who was replaced
        uow.session.flush()
        uow.session.add(
            AssignmentRow(visit_id=visit_id, department=department, inspector_id=chosen, leader=leader)
        )
        uow.commit()
        return chosen
