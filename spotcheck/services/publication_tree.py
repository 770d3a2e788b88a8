"""The publication's Merkle tree on the database (docs/publication.md): the leaves rebuilt from the stored rows,
sealed at publication, extended by a correction, and a result's inclusion proof.

The root and size go into the audit chain (the ``publish`` entry's and each ``correct_result`` entry's
``tree``); the leaves are kept in ``publication_leaves`` so that a check can name the row that changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from spotcheck.domain.categories import ReviewState
from spotcheck.domain.errors import NotFound
from spotcheck.evidence.merkle import inclusion_path, leaf_hash, root_of_hashes
from spotcheck.evidence.published_leaves import Leaf, ordered, result_leaf, team_leaf, visit_leaf
from spotcheck.store.ledger import AuditRow
from spotcheck.store.publication import LeafRow
from spotcheck.store.quarter import AssignmentRow, PlanRow, ResultRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "TREE_ACTIONS",
    "Tree",
    "current_leaves",
    "extend",
    "latest_tree",
    "leaf_of_result",
    "result_proof",
    "seal",
    "stored_leaves",
    "tree_entries",
    "tree_root",
]

TREE_ACTIONS = ("publish", "correct_result")  # audit entries that carry a plan's tree


@dataclass(frozen=True)
class Tree:
    plan: int
    root: str  # hex
    size: int
    seq: int  # the audit entry that carries it


def tree_root(leaves: list[Leaf]) -> str:
    return root_of_hashes([leaf_hash(leaf.bytes) for leaf in leaves]).hex()


_VISIT_AS_STORED = ("uscc", "district", "lead")
_RESULT_AS_STORED = ("department", "version", "category", "findings", "recorded_by")


def _listed(joined: str) -> list[str]:
    return [x for x in joined.split(";") if x]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _visit_leaf(plan: int, v: VisitRow) -> Leaf:
    """The visit's published fields: some as stored, the ';'-joined lists as lists, the window in ISO days."""
    return visit_leaf(
        plan,
        v.id,
        **{name: getattr(v, name) for name in _VISIT_AS_STORED},
        departments=_listed(v.departments),
        items=_listed(v.items),
        joint=bool(v.joint),
        window_start=_iso(v.window_start),
        window_end=_iso(v.window_end),
    )


def leaf_of_result(plan: int, r: ResultRow) -> Leaf:
    return result_leaf(plan, r.id, visit=r.visit_id, **{name: getattr(r, name) for name in _RESULT_AS_STORED})


def current_leaves(session: Session, plan_id: int) -> list[Leaf]:
    """The plan's visits, teams and published result versions as they are stored now, in publication order."""
    visits = session.execute(select(VisitRow).where(VisitRow.plan_id == plan_id)).scalars()
    leaves = [_visit_leaf(plan_id, v) for v in visits]
    teams: dict[tuple[str, str], tuple[list[str], str | None]] = {}
    for a in session.execute(
        select(AssignmentRow)
        .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
        .where(VisitRow.plan_id == plan_id, AssignmentRow.current())
    ).scalars():
        officers, _ = teams.setdefault((a.visit_id, a.department), ([], None))
        officers.append(a.inspector_id)
        if a.leader:
            teams[(a.visit_id, a.department)] = (officers, a.inspector_id)
    leaves += [team_leaf(plan_id, v, d, officers, leader) for (v, d), (officers, leader) in teams.items()]
    published = session.execute(
        select(ResultRow)
        .join(VisitRow, VisitRow.id == ResultRow.visit_id)
        .where(VisitRow.plan_id == plan_id, ResultRow.state == ReviewState.PUBLISHED.value)
    ).scalars()
    leaves += [leaf_of_result(plan_id, r) for r in published]
    return ordered(leaves)


def stored_leaves(session: Session, plan_id: int) -> list[Leaf]:
    rows = session.execute(
        select(LeafRow).where(LeafRow.plan_id == plan_id).order_by(LeafRow.position)
    ).scalars()
    return [Leaf.parse(r.kind, r.key, r.leaf) for r in rows]


def _store(session: Session, plan_id: int, leaves: list[Leaf], start: int) -> None:
    """One insert of many rows (a city's tree has tens of thousands of leaves), not an object per leaf."""
    if leaves:
        session.execute(
            insert(LeafRow),
            [
                {"plan_id": plan_id, "position": n, "kind": leaf.kind, "key": leaf.key, "leaf": leaf.text}
                for n, leaf in enumerate(leaves, start=start)
            ],
        )


def seal(uow: UnitOfWork, plan_id: int) -> dict[str, Any]:
    """Store the tree over the plan's published rows (inside the publication's transaction); returns
    ``{"root": hex, "size": n}`` for the publication's audit entry."""
    leaves = current_leaves(uow.session, plan_id)
    _store(uow.session, plan_id, leaves, 0)
    return {"root": tree_root(leaves), "size": len(leaves)}


def extend(uow: UnitOfWork, plan_id: int, leaf: Leaf) -> dict[str, Any]:
    """Append one leaf (a correction) to the plan's tree; the new ``{"root", "size"}``."""
    leaves = stored_leaves(uow.session, plan_id)
    _store(uow.session, plan_id, [leaf], len(leaves))
    leaves.append(leaf)
    return {"root": tree_root(leaves), "size": len(leaves)}


def tree_entries(session: Session) -> dict[int, list[Tree]]:
    """Every tree in the audit log by plan, oldest first; unreadable entries are skipped (the chain check
    names them)."""
    trees: dict[int, list[Tree]] = {}
    rows = session.execute(
        select(AuditRow.seq, AuditRow.payload).where(AuditRow.action.in_(TREE_ACTIONS)).order_by(AuditRow.seq)
    )
    for seq, payload in rows:
        tree = _tree(seq, payload)
        if tree is not None:
            trees.setdefault(tree.plan, []).append(tree)
    return trees


def _tree(seq: int, payload: str) -> Tree | None:
    try:
        data = json.loads(payload)
        tree = data["tree"]
        return Tree(int(data["plan"]), str(tree["root"]), int(tree["size"]), seq)
    except (ValueError, TypeError, KeyError):
        return None


def latest_tree(session: Session, plan_id: int) -> Tree | None:
    """The plan's current tree: the last audit entry that carries one (publication or correction)."""
    trees = tree_entries(session).get(plan_id)
    return trees[-1] if trees else None


def result_proof(uow: UnitOfWork, result_id: int) -> dict[str, Any]:
    """A published result's inclusion proof against its plan's current root: the leaf as the result is stored
    now, its index, the tree size, the audit path and the root (docs/publication.md "Checking a result")."""
    with uow:
        found = uow.session.execute(
            select(LeafRow.plan_id, LeafRow.position).where(
                LeafRow.kind == "result", LeafRow.key == str(result_id)
            )
        ).first()
        row = uow.session.get(ResultRow, result_id)
        if found is None or row is None:
            raise NotFound(f"result {result_id} is not a published result")
        plan_id, index = found
        plan = uow.session.get(PlanRow, plan_id)
        tree = latest_tree(uow.session, plan_id)
        if tree is None or plan is None:
            raise NotFound(f"result {result_id} is not a published result")
        hashes = [leaf_hash(leaf.bytes) for leaf in stored_leaves(uow.session, plan_id)[: tree.size]]
        leaf = leaf_of_result(plan_id, row)
        return {
            "plan": plan_id,
            "result": result_id,
            "leaf": leaf.text,
            "index": index,
            "size": tree.size,
            "path": [h.hex() for h in inclusion_path(hashes, index)] if index < len(hashes) else [],
            "root": tree.root,
            "audit_seq": tree.seq,
        }
