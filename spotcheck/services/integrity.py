"""Everything ``spotcheck audit verify`` checks, as a list of named problems (docs/publication.md "Checking"):

1. the audit chain (``evidence.audit.verify_chain``); a row whose payload is not a JSON object is named, not a
   crash;
2. for each plan whose publication carries a tree: the stored leaves give the root and size of every tree entry
   (publication and corrections); the leaves rebuilt from the stored visits, teams and published results equal
   the sealed ones — each altered, added or deleted row named;
3. the credit feed: each published result has exactly one feed entry, equal to the one its leaves give.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spotcheck.domain.errors import SpotcheckError, VerificationError
from spotcheck.evidence.audit import AuditEntry, verify_chain
from spotcheck.evidence.canonical import canonical_json
from spotcheck.evidence.published_leaves import Leaf, differences, feed_payload
from spotcheck.services.publication_tree import Tree, current_leaves, stored_leaves, tree_entries, tree_root
from spotcheck.store.ledger import AuditRow, FeedRow
from spotcheck.store.quarter import PlanRow, ResultRow, VisitRow
from spotcheck.store.uow import UnitOfWork

__all__ = ["audit_problems", "chain_problems", "publication_problems"]


def audit_problems(uow: UnitOfWork, *, published: str | None = None) -> tuple[str, int, list[str]]:
    """(head hash, entries, problems) for the whole log and every publication; read-only."""
    with uow:
        head, count, problems = chain_problems(uow.session)
        if published is not None and not _has_hash(uow.session, published):
            problems.append(
                f"the published audit head {published} is not in the log: entries up to it were changed or removed"
            )
        for plan_id, trees in sorted(tree_entries(uow.session).items()):
            problems += publication_problems(uow.session, plan_id, trees)
        return head, count, problems


def _has_hash(session: Session, value: str) -> bool:
    return session.execute(select(AuditRow.id).where(AuditRow.hash == value)).first() is not None


def chain_problems(session: Session) -> tuple[str, int, list[str]]:
    rows = list(session.execute(select(AuditRow).order_by(AuditRow.seq)).scalars())
    entries: list[AuditEntry] = []
    problems: list[str] = []
    for row in rows:
        payload = _payload(row.payload)
        if payload is None:
            problems.append(
                f"audit entry seq {row.seq} ({row.action}) is corrupted: its payload is not a JSON object"
            )
            payload = {"unreadable": row.payload}
        entries.append(AuditEntry(row.seq, row.at, row.action, row.actor, payload, row.prev_hash, row.hash))
    head = entries[-1].hash if entries else ""
    try:
        head = verify_chain(entries)
    except (VerificationError, SpotcheckError) as exc:  # floats in a payload are a ValidationError
        problems.append(str(exc))
    return head, len(entries), problems


def _payload(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def publication_problems(session: Session, plan_id: int, trees: list[Tree]) -> list[str]:
    """What changed in plan ``plan_id``'s published rows and credit feed since its tree entries."""
    sealed = stored_leaves(session, plan_id)
    problems = [
        f"plan {plan_id}: the stored publication leaves do not give the tree of audit entry seq {t.seq} "
        f"(root {t.root}, {t.size} leaves): the leaves were changed"
        for t in trees
        if t.size > len(sealed) or tree_root(sealed[: t.size]) != t.root
    ]
    if len(sealed) > trees[-1].size:
        problems.append(
            f"plan {plan_id}: {len(sealed) - trees[-1].size} publication leaves added outside a correction"
        )
    sealed = sealed[: trees[-1].size]
    problems += [f"plan {plan_id}: {p}" for p in differences(sealed, current_leaves(session, plan_id))]
    return problems + _feed_problems(session, plan_id, sealed)


def _feed_problems(session: Session, plan_id: int, sealed: list[Leaf]) -> list[str]:
    plan = session.get(PlanRow, plan_id)
    if plan is None:
        return [f"plan {plan_id} was deleted"]
    visits = {leaf.key: leaf for leaf in sealed if leaf.kind == "visit"}
    results = {int(leaf.key): leaf for leaf in sealed if leaf.kind == "result"}
    plan_results = select(ResultRow.id).join(VisitRow, VisitRow.id == ResultRow.visit_id)
    rows = session.execute(
        select(FeedRow)
        .where(FeedRow.result_id.in_(plan_results.where(VisitRow.plan_id == plan_id)))
        .order_by(FeedRow.id)
    ).scalars()
    feed: dict[int, list[FeedRow]] = {}
    for row in rows:
        feed.setdefault(int(row.result_id or 0), []).append(row)
    problems: list[str] = []
    for result_id, leaf in results.items():
        entries = feed.pop(result_id, [])
        where = f"credit feed entry for {leaf.name()}"
        if not entries:
            problems.append(f"plan {plan_id}: {where} was deleted")
            continue
        for extra in entries[1:]:
            problems.append(f"plan {plan_id}: {where}: entry {extra.id} was added, a second one")
        expected = _expected_feed(plan, visits.get(str(leaf.data.get("visit"))), leaf)
        first = entries[0]
        if expected is not None and (first.payload != expected or first.uscc != json.loads(expected)["uscc"]):
            problems.append(
                f"plan {plan_id}: {where} (cursor {first.id}) was altered: {_fields(first, expected)}"
            )
    for result_id, entries in feed.items():
        ids = ", ".join(str(e.id) for e in entries)
        problems.append(
            f"plan {plan_id}: credit feed entries {ids} for result {result_id} were added: not published"
        )
    return problems


def _expected_feed(plan: PlanRow, visit: Leaf | None, result: Leaf) -> str | None:
    """The feed entry the sealed leaves give; None when they are unreadable (the tree check names that)."""
    if visit is None:
        return None
    try:
        return canonical_json(feed_payload(plan.year, plan.quarter, visit, result))
    except (KeyError, SpotcheckError):
        return None


def _fields(row: FeedRow, expected: str) -> str:
    want = json.loads(expected)
    got = _payload(row.payload)
    if got is None:
        return "its payload is not a JSON object"
    changed = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    if row.uscc != want["uscc"]:
        changed.append("uscc column")
    return "fields " + ", ".join(changed) if changed else "its text is not canonical"
