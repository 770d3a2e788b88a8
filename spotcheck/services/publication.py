"""Publication (一公开): reveals checked, results, visits, the record and the audit head made public at once.

``publish`` refuses while any department has not revealed its secret, naming it, and records the refusal in the
audit log (so a blocked publication is visible); it refuses while any result is not approved. ``public_view``
gives the whole quarter as the public may see it now, as the gate ``spotcheck.queries.gate`` decides: before
publication the plan, the snapshot digest, the commitments and the beacon, never a drawn firm or an assignment.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from spotcheck.credit.feed import append_results
from spotcheck.domain.categories import ReviewAction, ReviewState, category
from spotcheck.domain.errors import InvalidTransition, NotFound, VerificationError
from spotcheck.domain.lifecycle import PlanState, Step, require
from spotcheck.evidence.ceremony import check_seed, missing_reveals
from spotcheck.queries.audit import publication_head
from spotcheck.queries.ceremony import public_ceremony
from spotcheck.queries.gate import is_published
from spotcheck.services import publication_tree
from spotcheck.services.common import audit, locked_plan
from spotcheck.services.draws import published_record
from spotcheck.services.freeze import frozen_inputs_and_rotation
from spotcheck.services.integrity import audit_problems
from spotcheck.services.redraws import check_plan_redraws
from spotcheck.services.results import inspected, latest_results, next_version
from spotcheck.services.results_batch import insert_versions
from spotcheck.services.seeding import commitments, reveals
from spotcheck.solver.draw.record import record_digest
from spotcheck.solver.verify import verify_record
from spotcheck.store.quarter import BeaconRow, ResultRow, SnapshotRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["public_view", "publish", "verify_audit"]

MAX_NAMED = 50  # problems named in one verification message


def publish(uow: UnitOfWork, plan_id: int, *, actor: str) -> dict[str, Any]:
    """Publish the quarter; returns {"record": digest, "audit_head": hash, "results": n}."""
    with uow:
        row = locked_plan(uow, plan_id)
        require(PlanState(row.state), Step.PUBLISH)
        missing = missing_reveals(commitments(uow, plan_id), reveals(uow, plan_id))
        if missing:
            message = f"publication of plan {plan_id} blocked: no reveal from {', '.join(missing)}"
            audit(uow, "publish_blocked", actor, {"plan": plan_id, "missing_reveals": missing})
            uow.commit()
            raise InvalidTransition(message)
        latest = latest_results(uow, plan_id)
        owed = inspected(uow, plan_id)
        waiting = [
            f"{v.id}/{d}"
            for v, d in owed
            if (r := latest.get((v.id, d))) is None or r.state != ReviewState.APPROVED.value
        ]
        if waiting:
            raise InvalidTransition(
                f"cannot publish plan {plan_id}: {len(waiting)} result(s) not approved, e.g. {', '.join(waiting[:5])}"
            )
        record = published_record(uow, plan_id)
        check_seed(record["seed"])  # every reveal against its commitment, then the seed
        published = [next_version(latest[(v.id, d)], ReviewAction.PUBLISH, actor=actor) for v, d in owed]
        ids = insert_versions(uow, published)
        feed = [
            (result_id, visit.uscc, _feed_payload(row.year, row.quarter, visit, version))
            for result_id, (visit, _), version in zip(ids, owed, published, strict=True)
        ]
        append_results(uow, feed)
        row.state = PlanState.PUBLISHED.value
        digest = record_digest(record)
        tree = publication_tree.seal(uow, plan_id)  # docs/publication.md
        entry: dict[str, Any] = {"plan": plan_id, "record": digest, "results": len(feed), "tree": tree}
        if "system_secret" in record["seed"]:  # ceremony v2: the system secret is revealed here
            entry["system_secret"] = record["seed"]["system_secret"]
        audit(uow, "publish", actor, entry)
        head = uow.audit.head()
        assert head is not None
        uow.commit()
        return {"record": digest, "audit_head": head.hash, "results": len(feed), "tree": tree}


def _feed_payload(year: int, quarter: int, visit: VisitRow, result: ResultRow) -> dict[str, Any]:
    cat = category(result.category)
    return {
        "uscc": visit.uscc,
        "visit": visit.id,
        "year": year,
        "quarter": quarter,
        "department": result.department,
        "category": cat.code,
        "category_zh": cat.label_zh,
        "flags": sorted(f.value for f in cat.flags),
        "findings": result.findings,
        "end_of_check": visit.window_end.isoformat() if visit.window_end else None,
    }


def public_view(uow: UnitOfWork, plan_id: int) -> dict[str, Any]:
    """What anyone may see of a plan now. Drawn firms, visits, results and the record only once published."""
    with uow:
        row = uow.plans.get(plan_id)
        published = is_published(row.state)
        snap = uow.session.execute(select(SnapshotRow.digest).where(SnapshotRow.plan_id == plan_id)).scalar()
        beacon = uow.session.execute(
            select(BeaconRow).where(BeaconRow.plan_id == plan_id)
        ).scalar_one_or_none()
        view: dict[str, Any] = {
            "plan": plan_id,
            "year": row.year,
            "quarter": row.quarter,
            "state": row.state,
            "plan_json": row.plan_json,
            "snapshot_digest": snap,
            "commitments": commitments(uow, plan_id),
            "beacon": None if beacon is None else {"value": beacon.value, "source": beacon.source},
            "ceremony": public_ceremony(uow, plan_id),
            "published": published,
        }
        if not published:
            return view
        record = published_record(uow, plan_id)
        results = latest_results(uow, plan_id)
        visits = uow.session.execute(
            select(VisitRow).where(VisitRow.plan_id == plan_id).order_by(VisitRow.id)
        ).scalars()
        view["visits"] = [
            {
                "id": v.id,
                "uscc": v.uscc,
                "district": v.district,
                "lead": v.lead,
                "departments": v.departments.split(";"),
                "items": v.items.split(";"),
                "joint": v.joint,
                "results": {d: _public_result(results.get((v.id, d))) for d in v.departments.split(";")},
            }
            for v in visits
        ]
        view["record"] = record
        view["record_digest"] = record_digest(record)
        view["reveals"] = record["seed"].get("reveals", {})
        view["redraws"] = [json.loads(r.record) for r in uow.draws.for_plan(plan_id) if r.kind == "redraw"]
        view["audit_head"] = _publication_head(uow, plan_id)
        tree = publication_tree.latest_tree(uow.session, plan_id)
        view["tree"] = None if tree is None else {"root": tree.root, "size": tree.size, "audit_seq": tree.seq}
        return view


def _public_result(result: ResultRow | None) -> dict[str, Any] | None:
    if result is None:
        return None
    cat = category(result.category)
    return {
        "category": cat.code,
        "category_zh": cat.label_zh,
        "category_en": cat.label_en,
        "findings": result.findings,
    }


def _publication_head(uow: UnitOfWork, plan_id: int) -> str:
    head = publication_head(uow, plan_id)
    if head is None:
        raise NotFound(f"plan {plan_id} has no publication entry in the audit log")
    return head


def verify_audit(uow: UnitOfWork, *, published: str | None = None) -> tuple[str, int]:
    """Check the whole audit chain and every publication's tree and credit feed: (current head hash, entries).
    A ``published`` head (from an earlier publication) must be the hash of one of the entries, or entries up to
    it were removed or replaced. VerificationError naming every problem found (``services.integrity``)."""
    head, entries, problems = audit_problems(uow, published=published)
    if problems:
        shown = problems[:MAX_NAMED] + (
            [f"and {len(problems) - MAX_NAMED} more"] if len(problems) > MAX_NAMED else []
        )
        raise VerificationError(f"{len(problems)} problem(s): " + "; ".join(shown))
    return head, entries


def verify_plan(uow: UnitOfWork, plan_id: int) -> dict[str, Any]:
    """Recompute a published plan's record from its frozen snapshot: the draw byte for byte, the ceremony (every
    reveal against its commitment, the seed), the officers, each officer redraw; then the audit chain.
    VerificationError otherwise."""
    with uow:
        state = uow.plans.get(plan_id).state
        if not is_published(state):
            raise InvalidTransition(f"plan {plan_id} is {state}: only a published plan is verified")
        record = published_record(uow, plan_id)
        city, history, rotation, digest = frozen_inputs_and_rotation(uow, plan_id)
        frozen = [
            e.payload
            for e in uow.audit.entries()
            if e.action == "freeze" and e.payload.get("plan") == plan_id
        ]
    fixed = [
        {"year": r.get("year"), "quarter": r.get("quarter"), "digest": record_digest(r)} for r in rotation
    ]
    if not frozen or frozen[-1].get("rotation", []) != fixed:
        raise VerificationError(
            f"plan {plan_id}: the snapshot's rotation records are not the ones its freeze entry names"
        )
    if record["snapshot"]["digest"] != digest:
        raise VerificationError(
            f"plan {plan_id}: the record names snapshot {record['snapshot']['digest']}, not {digest}"
        )
    verify_record(record, city, rotation + history)  # the target draw reads the year's records only
    with uow:
        check_plan_redraws(uow, plan_id, record)  # then each redraw, in order (docs/ceremony.md)
    head, entries = verify_audit(uow)
    return {
        "record": record_digest(record),
        "visits": len(record["visits"]),
        "audit_head": head,
        "entries": entries,
    }
