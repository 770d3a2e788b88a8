"""Plans as the routers and the pages show them: the plan, its ceremony, its quarter statistics.

``plan_rows`` is the one list of plans (newest quarter first) that the regulator's API, the dashboard, the public
page and the CLI read; what of each plan the public may see is ``queries.gate``'s to decide.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from spotcheck.domain.lifecycle import PlanState
from spotcheck.queries.audit import publication_head
from spotcheck.queries.ceremony import public_ceremony
from spotcheck.queries.gate import is_published
from spotcheck.queries.shapes import PlanPublic
from spotcheck.queries.stats import record_facts, recounted_stats
from spotcheck.services.publication_tree import latest_tree
from spotcheck.store.tables import BeaconRow, CommitmentRow, PlanRow, SnapshotRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["plan_rows", "plan_view", "public_plans", "public_seed", "regulator_plans"]


def plan_rows(uow: UnitOfWork, *, drafts: bool) -> Iterator[PlanRow]:
    """Every plan (without drafts unless ``drafts``), newest quarter first."""
    query = select(PlanRow).order_by(PlanRow.year.desc(), PlanRow.quarter.desc(), PlanRow.id.desc())
    if not drafts:
        query = query.where(PlanRow.state != PlanState.DRAFT.value)
    yield from uow.session.execute(query).scalars()


def plan_view(uow: UnitOfWork, row: PlanRow, *, full: bool) -> PlanPublic:
    """A plan; with ``full`` (regulators, or anyone once published) also its statistics, and once published its
    seed and audit head."""
    session = uow.session
    digest = session.execute(
        select(SnapshotRow.digest)
        .where(SnapshotRow.plan_id == row.id)
        .order_by(SnapshotRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    commitments = {
        c.department: c.commitment
        for c in session.execute(
            select(CommitmentRow).where(CommitmentRow.plan_id == row.id).order_by(CommitmentRow.department)
        ).scalars()
    }
    identity = {name: getattr(row, name) for name in ("id", "year", "quarter", "state")}
    view = PlanPublic(
        **identity,
        published=is_published(row.state),
        snapshot_digest=digest,
        commitments=commitments,
        plan=json.loads(row.plan_json),
        ceremony=public_ceremony(uow, row.id),
    )
    if full:
        record = record_facts(uow, row.id)
        view.stats = recounted_stats(uow, row, record)
        if is_published(row.state):
            view.seed = _seed(record)
            view.audit_head = publication_head(uow, row.id)
            tree = latest_tree(session, row.id)
            if tree is not None:
                view.tree_root, view.tree_size = tree.root, tree.size
    beacon = session.execute(
        select(BeaconRow).where(BeaconRow.plan_id == row.id).order_by(BeaconRow.id.desc()).limit(1)
    ).scalar_one_or_none()
    if beacon is not None:  # public the moment it is entered: it was public before, by definition
        view.beacon, view.beacon_source = beacon.value, beacon.source
    return view


def public_plans(uow: UnitOfWork) -> list[PlanPublic]:
    """Every plan past its draft, newest quarter first; details beyond the plan only when published."""
    return [plan_view(uow, row, full=is_published(row.state)) for row in plan_rows(uow, drafts=False)]


def regulator_plans(uow: UnitOfWork) -> list[PlanPublic]:
    """Every plan, drafts too, with its figures from the draw on."""
    return [plan_view(uow, row, full=True) for row in plan_rows(uow, drafts=True)]


def public_seed(uow: UnitOfWork, plan_id: int) -> str | None:
    """The seed of a plan's newest record; the caller has passed ``gate.public_plan(..., need_published=True)``."""
    return _seed(record_facts(uow, plan_id))


def _seed(record: dict[str, Any] | None) -> str | None:
    return None if record is None else str(record.get("seed", {}).get("value") or "") or None
