"""``spotcheck demo``: a whole quarter on the synthetic city, end to end, on the configured database.

generate the city (once) → db upgrade → import → plan → commitments → freeze → beacon → draw → assign → start →
simulated results → review → close → reveals → publish. Each step is the real use case; a rerun resumes from the
plan's state and, once published, only reports (idempotent: `make run` twice works).

Demo-only shortcuts, all visible in the audit log: the departments' secrets are derived from the demo seed (real
departments use ``seeding.new_secret``), the beacon is a stated simulated value, results are simulated from a
hash of the visit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from spotcheck.domain.categories import ReviewState
from spotcheck.domain.lifecycle import PlanState
from spotcheck.ingest.city import read_plan
from spotcheck.ingest.tiers import quarter_start
from spotcheck.services import draws, freeze, inspection, plans, publication, results, seeding
from spotcheck.store import UnitOfWork, import_folder, make_engine, upgrade
from spotcheck.synth import generate_city

__all__ = ["DemoReport", "run_demo", "simulated_category"]

Say = Callable[[str], None]
ACTOR = "demo"
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


@dataclass(frozen=True)
class DemoReport:
    plan_id: int
    firms: int
    enterprises: int
    inspectors: int
    visits: int
    joint_visits: int
    coverage: Fraction  # year to date, enterprises visited / enterprises in the directory
    joint_share: Fraction
    audit_head: str
    audit_entries: int
    overdue: int


def simulated_category(seed: str, visit: str, department: str) -> str:
    roll = (
        int.from_bytes(hashlib.sha256(f"{seed}\n{visit}\n{department}".encode()).digest()[:8], "big") % 1000
    )
    for code, share in OUTCOMES:
        if roll < share:
            return code
        roll -= share
    return OUTCOMES[0][0]


def demo_secret(seed: str, department: str) -> str:
    return hashlib.sha256(f"spotcheck-demo-secret\n{seed}\n{department}".encode()).hexdigest()


def run_demo(url: str, city_dir: Path, *, firms: int, seed: str = "demo", say: Say = print) -> DemoReport:
    if not (city_dir / "plan.json").exists() or _firms_in(city_dir) != firms:
        say(f"generating the synthetic city ({firms:,} firms) into {city_dir}")
        generate_city(city_dir, firms=firms, seed=seed, progress=lambda m: say(f"  {m}"))
    upgrade(url)
    engine = make_engine(url)
    try:
        return _quarter(lambda: UnitOfWork(engine), city_dir, seed, say)
    finally:
        engine.dispose()


def _firms_in(city_dir: Path) -> int:
    path = city_dir / "enterprises.csv"
    if not path.exists():
        return -1
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def _quarter(uow: Callable[[], UnitOfWork], city_dir: Path, seed: str, say: Say) -> DemoReport:
    reports = import_folder(uow(), city_dir, actor=ACTOR)
    for report in reports:
        say(report.summary())
    plan = read_plan(city_dir / "plan.json")
    with uow() as u:
        existing = [r.id for r in u.plans.for_quarter(plan.year, plan.quarter)]
    plan_id = existing[0] if existing else plans.create_plan(uow(), plan, actor=ACTOR)
    status = plans.plan_status(uow(), plan_id)
    secrets = {d: demo_secret(seed, d) for d in status.participants}
    begin = quarter_start(plan.year, plan.quarter)
    end = (begin + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    state = status.state
    if state is PlanState.DRAFT:
        for department in sorted(set(secrets) - set(status.committed)):
            seeding.commit_secret(uow(), plan_id, department, secrets[department], actor=department)
        frozen = freeze.freeze(uow(), plan_id, actor=ACTOR, frozen_on=begin - timedelta(days=7))
        say(f"plan {plan_id} frozen: snapshot digest {frozen.digest} ({frozen.firms:,} firms)")
        state = PlanState.FROZEN
    if state is PlanState.FROZEN:
        beacon = f"demo beacon {plan.year}Q{plan.quarter} {hashlib.sha256(seed.encode()).hexdigest()[:16]}"
        seeding.enter_beacon(
            uow(), plan_id, beacon, source="simulated (demo): not a real public beacon", actor=ACTOR
        )
        state = PlanState.SEEDED
    if state is PlanState.SEEDED:
        drawn = draws.run_draw(uow(), plan_id, secrets, actor=ACTOR, progress=_progress(say))
        say(f"drawn: {drawn.visits:,} visits, {drawn.joint_visits:,} joint")
        state = PlanState.DRAWN
    if state is PlanState.DRAWN:
        stats = inspection.run_assign(uow(), plan_id, actor=ACTOR, defer_unstaffable=True)
        say(f"assigned: {stats['teams_staffed']:,}/{stats['teams']:,} teams, {stats['seats']:,} seats")
        state = PlanState.ASSIGNED
    if state is PlanState.ASSIGNED:
        inspection.start_inspection(uow(), plan_id, begin=begin, end=end, actor=ACTOR)
        state = PlanState.IN_INSPECTION
    if state in (PlanState.IN_INSPECTION, PlanState.RESULTS):
        _simulate_results(uow, plan_id, seed, end, say)
    if state is PlanState.IN_INSPECTION:
        inspection.close_inspection(uow(), plan_id, actor=ACTOR)
        state = PlanState.RESULTS
    if state is PlanState.RESULTS:
        for department, secret in secrets.items():
            seeding.reveal(uow(), plan_id, department, secret, actor=department)
        published = publication.publish(uow(), plan_id, actor=ACTOR)
        say(f"published: {published['results']:,} results; audit head {published['audit_head']}")
    return _report(uow, plan_id, end)


def _progress(say: Say) -> Callable[[str, int, int], None]:
    def show(stage: str, done: int, total: int) -> None:
        if done == total and total:
            say(f"  {stage}: {done:,}/{total:,}")

    return show


def _simulate_results(uow: Callable[[], UnitOfWork], plan_id: int, seed: str, end: date, say: Say) -> None:
    pending = results.deadlines(uow(), plan_id, today=end)
    say(f"simulating {len(pending):,} results (each department its own)")
    for n, due in enumerate(pending, start=1):
        if due.state in (ReviewState.NOT_ENTERED, ReviewState.RETURNED):
            code = simulated_category(seed, due.visit, due.department)
            findings = "" if code == "no_problem" else f"模拟检查记录 (simulated): {code}"
            results.record_result(
                uow(), plan_id, due.visit, due.department, code, findings,
                actor_department=due.department, actor=f"{due.department}-inspector",
            )  # fmt: skip
        if due.state is not ReviewState.APPROVED:
            results.review(
                uow(), plan_id, due.visit, due.department, approve=True, actor=f"{due.department}-reviewer"
            )
        if n % 500 == 0:
            say(f"  results {n:,}/{len(pending):,}")


def _report(uow: Callable[[], UnitOfWork], plan_id: int, end: date) -> DemoReport:
    with uow() as u:
        counts = {k: u.directory.count(k) for k in ("enterprises", "inspectors")}
        enterprises = sum(1 for f in u.directory.all("enterprises") if f.kind.value == "enterprise")
        record = draws.draw_record(u, plan_id)
    head, entries = publication.verify_audit(uow())
    overdue = results.deadlines(uow(), plan_id, today=end + timedelta(days=60), only_overdue=True)
    ytd = record["summary"]["year_to_date"]
    quarter = record["summary"]["quarter"]
    return DemoReport(
        plan_id=plan_id,
        firms=counts["enterprises"],
        enterprises=enterprises,
        inspectors=counts["inspectors"],
        visits=quarter["visits"],
        joint_visits=quarter["joint_visits"],
        coverage=Fraction(ytd["coverage"]),
        joint_share=Fraction(ytd["joint_share"]),
        audit_head=head,
        audit_entries=entries,
        overdue=len(overdue),
    )
