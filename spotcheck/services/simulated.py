"""The demo's stand-ins for what real departments do by hand, each visible in the audit log as simulated: a
stated simulated beacon (real plans enter a public value, docs/ceremony.md), and results simulated from a hash of
the visit, recorded and reviewed through the real use cases (docs/operations.md). The demo's secrets are random
(``services.demo_secrets``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

from spotcheck.domain.categories import ReviewState
from spotcheck.services import results
from spotcheck.services.results_batch import Entry, approve_results, record_results
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "BEACON_SOURCE",
    "OUTCOMES",
    "demo_beacon",
    "owed",
    "simulate_results",
    "simulated_category",
]

Say = Callable[[str], None]
BEACON_SOURCE = "simulated (demo): not a real public beacon"
# Simulated outcome shares (per mille), roughly as provincial publications show: most checks find nothing.
OUTCOMES = (
    ("no_problem", 820),
    ("corrected", 60),
    ("follow_up", 30),
    ("info_not_published", 25),
    ("unreachable", 25),
    ("no_activity", 20),
    ("closed", 10),
    ("non_cooperation", 5),
    ("info_false", 5),
)


def simulated_category(seed: str, visit: str, department: str) -> str:
    """A result category drawn from OUTCOMES by a hash of the seed, the visit and the department."""
    roll = (
        int.from_bytes(hashlib.sha256(f"{seed}\n{visit}\n{department}".encode()).digest()[:8], "big") % 1000
    )
    for code, share in OUTCOMES:
        if roll < share:
            return code
        roll -= share
    return OUTCOMES[0][0]


def demo_beacon(seed: str, label: str) -> str:
    """The quarter's simulated beacon value (``label`` as 2026Q1)."""
    return f"demo beacon {label} {hashlib.sha256(seed.encode()).hexdigest()[:16]}"


def owed(uow: Callable[[], UnitOfWork], plan_id: int) -> set[tuple[str, str]]:
    """(visit, department) pairs that owe a result: a deferred visit owes none this quarter."""
    with uow() as u:
        return {(visit.id, department) for visit, department in results.inspected(u, plan_id)}


def simulate_results(uow: Callable[[], UnitOfWork], plan_id: int, seed: str, end: date, say: Say) -> None:
    """Record each owed result not yet entered (or returned) as its department would, then approve it: each
    department enters its results together and its reviewer approves them together (``results_batch``)."""
    due_now = owed(uow, plan_id)
    pending = [d for d in results.deadlines(uow(), plan_id, today=end) if (d.visit, d.department) in due_now]
    say(f"  simulating {len(pending):,} results (each department its own)")
    for department in sorted({due.department for due in pending}):
        theirs = [due for due in pending if due.department == department]
        entries = []
        for due in theirs:
            if due.state in (ReviewState.NOT_ENTERED, ReviewState.RETURNED):
                code = simulated_category(seed, due.visit, department)
                findings = "" if code == "no_problem" else f"模拟检查记录 (simulated): {code}"
                entries.append(Entry(due.visit, code, findings))
        if entries:
            record_results(
                uow(), plan_id, department, entries,
                actor_department=department, actor=f"{department}-inspector",
            )  # fmt: skip
        waiting = [due.visit for due in theirs if due.state is not ReviewState.APPROVED]
        if waiting:
            approve_results(uow(), plan_id, department, waiting, actor=f"{department}-reviewer")
        say(f"    results of {department}: {len(entries):,} entered, {len(waiting):,} approved")
