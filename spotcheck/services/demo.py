"""``spotcheck demo``: the whole year on the synthetic city, quarter by quarter, on the database the caller
opened (``spotcheck.bootstrap``).

generate the city (once) → import → then for each quarter 1..N of plan.json's year: plan (plan.json's tasks under
that quarter's number) → commitments → freeze (the year's earlier records as history, see
``services.freeze.year_records``) → beacon → hand-ins → draw → assign → start → simulated results → review → close
→ publish. Each step is the real use case; a rerun resumes every plan from its state and, once all are
published, only reports (idempotent: `make run` twice works). ``say`` gets one line per step done.

The report's year is recounted from the stored visits (``spotcheck.queries.year``); the console text is the
CLI's. The demo's shortcuts (beacon, results) are in ``services.simulated``; one operator commits and hands in
every department's secret, random on every run and kept in ``data/demo-secrets.json`` (``services.demo_secrets``),
and the beacon is entered on its named date (the demo's clock).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

from spotcheck.domain.lifecycle import PlanState
from spotcheck.domain.model import Plan
from spotcheck.ingest.city import read_plan
from spotcheck.ingest.tiers import quarter_end, quarter_start
from spotcheck.queries.ceremony import handed_in
from spotcheck.queries.year import YearTotals, year_totals
from spotcheck.services import ceremony, draws, freeze, inspection, plans, publication, results, seeding
from spotcheck.services.demo_secrets import quarter_secrets
from spotcheck.services.simulated import BEACON_SOURCE, demo_beacon, owed, simulate_results
from spotcheck.solver.assign.options import FrozenOptions
from spotcheck.store import UnitOfWork, import_folder
from spotcheck.synth import generate_city

__all__ = ["DemoReport", "demo_report", "run_demo", "run_quarter"]

Say = Callable[[str], None]
UowFactory = Callable[[], UnitOfWork]
ACTOR = "demo"
SECRETS_FILE = "demo-secrets.json"  # beside the demo city: data/demo-secrets.json (git-ignored, mode 0600)
# The demo defers visits it cannot staff, chosen at the freeze like every option of the inspector draw.
DEMO_OPTIONS = FrozenOptions(unstaffable="defer")
OVERDUE_AFTER = timedelta(days=60)  # the report counts results still open this long after the last quarter


@dataclass(frozen=True)
class DemoReport:
    plan_id: int  # the last quarter's plan
    firms: int
    enterprises: int
    inspectors: int
    visits: int  # the year so far
    joint_visits: int
    coverage: Fraction  # the year so far, enterprises visited / enterprises in the directory
    joint_share: Fraction
    year: YearTotals
    summary_agrees: bool  # the recount equals the last draw record's year-to-date summary
    audit_head: str
    audit_entries: int
    overdue: int


def run_demo(
    uow: UowFactory, city_dir: Path, *, firms: int, seed: str = "demo", quarters: int = 1, say: Say = print
) -> DemoReport:
    """Run quarters 1..``quarters`` of plan.json's year, each to publication (or resume them), and report the
    year recounted from the stored visits. ``uow`` opens units of work on a migrated database. ``spotcheck
    demo`` asks for 4, the whole year; the default, one quarter, is what the quarter and API benchmarks
    measure."""
    if not 1 <= quarters <= 4:
        raise ValueError(f"quarters must be 1..4, not {quarters}")
    if not (city_dir / "plan.json").exists() or _firms_in(city_dir) != firms:
        say(f"generating the synthetic city ({firms:,} firms) into {city_dir}")
        generate_city(city_dir, firms=firms, seed=seed, progress=lambda m: say(f"  {m}"))
    for report in import_folder(uow(), city_dir, actor=ACTOR):
        say(report.summary())
    base = read_plan(city_dir / "plan.json")
    plan_ids = [
        run_quarter(uow, dataclasses.replace(base, quarter=q), seed, say, city_dir.parent / SECRETS_FILE)
        for q in range(1, quarters + 1)
    ]
    return demo_report(uow, base.year, plan_ids, quarters)


def _firms_in(city_dir: Path) -> int:
    path = city_dir / "enterprises.csv"
    if not path.exists():
        return -1
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def run_quarter(
    uow: UowFactory, plan: Plan, seed: str, say: Say, kept: Path, *, until: PlanState = PlanState.PUBLISHED
) -> int:
    """Take the quarter's plan (created if missing) from its state to publication, or only as far as ``until``
    (the benchmarks run each step in its own process, ``bench/bench_pg_quarter.py``); return its id."""
    label = f"{plan.year}Q{plan.quarter}"
    with uow() as u:
        existing = [r.id for r in u.plans.for_quarter(plan.year, plan.quarter)]
    plan_id = existing[0] if existing else plans.create_plan(uow(), plan, actor=ACTOR)
    status = plans.plan_status(uow(), plan_id)
    state = status.state
    if state is PlanState.PUBLISHED:
        say(f"{label}: plan {plan_id} published (nothing to do)")
        return plan_id
    say(f"{label}: plan {plan_id} ({'new' if not existing else state.value})")
    secrets = quarter_secrets(kept, plan.year, plan.quarter, status.participants)
    begin, end = quarter_start(plan.year, plan.quarter), quarter_end(plan.year, plan.quarter)
    beacon_date = begin - timedelta(days=6)
    if state is PlanState.DRAFT:
        for department in sorted(set(secrets) - set(status.committed)):
            seeding.commit_secret(uow(), plan_id, department, secrets[department], actor=department)
        frozen = freeze.freeze(
            uow(),
            plan_id,
            actor=ACTOR,
            frozen_on=begin - timedelta(days=7),
            beacon_source=BEACON_SOURCE,
            beacon_date=beacon_date,
            options=DEMO_OPTIONS,
        )
        with uow() as u:
            cited = len(freeze.year_records(u, plan.year, plan.quarter))
        say(
            f"  plan {plan_id} frozen: snapshot digest {frozen.digest} ({frozen.firms:,} firms, "
            f"{cited} earlier record(s) of {plan.year} as history)"
        )
        state = PlanState.FROZEN
    if state is until:
        return plan_id
    if state is PlanState.FROZEN:
        beacon = demo_beacon(seed, label)
        seeding.enter_beacon(uow(), plan_id, beacon, source=BEACON_SOURCE, actor=ACTOR, today=beacon_date)
        state = PlanState.SEEDED
    if state is PlanState.SEEDED:
        with uow() as u:
            waiting = sorted(set(secrets) - set(handed_in(u, plan_id)))
        for department in waiting:
            ceremony.hand_in(uow(), plan_id, department, secrets[department], actor=department)
        drawn = draws.run_draw(uow(), plan_id, actor=ACTOR, progress=_progress(say))
        say(f"  drawn: {drawn.visits:,} visits, {drawn.joint_visits:,} joint")
        state = PlanState.DRAWN
    if state is until:
        return plan_id
    if state is PlanState.DRAWN:
        stats = inspection.run_assign(uow(), plan_id, actor=ACTOR, defer_unstaffable=True)
        say(f"  assigned: {stats['teams_staffed']:,}/{stats['teams']:,} teams, {stats['seats']:,} seats")
        state = PlanState.ASSIGNED
    if state is until:
        return plan_id
    if state is PlanState.ASSIGNED:
        inspection.start_inspection(uow(), plan_id, begin=begin, end=end, actor=ACTOR)
        state = PlanState.IN_INSPECTION
    if state is until:
        return plan_id
    if state in (PlanState.IN_INSPECTION, PlanState.RESULTS):
        simulate_results(uow, plan_id, seed, end, say)
    if state is PlanState.IN_INSPECTION:
        inspection.close_inspection(uow(), plan_id, actor=ACTOR)
        state = PlanState.RESULTS
    if state is until:
        return plan_id
    if state is PlanState.RESULTS:
        published = publication.publish(uow(), plan_id, actor=ACTOR)
        say(f"  published: {published['results']:,} results; audit head {published['audit_head']}")
    return plan_id


def _progress(say: Say) -> Callable[[str, int, int], None]:
    def show(stage: str, done: int, total: int) -> None:
        if done == total and total:
            say(f"    {stage}: {done:,}/{total:,}")

    return show


def demo_report(uow: UowFactory, year: int, plan_ids: list[int], quarters: int) -> DemoReport:
    """The year recounted from the stored visits, the audit chain checked (``publication.verify_audit``)."""
    totals = year_totals(uow(), year, quarters)
    last = plan_ids[-1]
    with uow() as u:
        counts = {k: u.directory.count(k) for k in ("enterprises", "inspectors")}
        ytd = draws.draw_record(u, last)["summary"]["year_to_date"]
    agrees = (ytd["visits"], ytd["joint_visits"], ytd["enterprises_visited"]) == totals.drawn
    head, entries = publication.verify_audit(uow())
    late_on = quarter_end(year, quarters) + OVERDUE_AFTER
    overdue = 0
    for p in plan_ids:  # unpublished results still open after the last quarter's end
        due_now = owed(uow, p)
        late = results.deadlines(uow(), p, today=late_on, only_overdue=True)
        overdue += sum(1 for due in late if (due.visit, due.department) in due_now)
    return DemoReport(
        plan_id=last,
        firms=counts["enterprises"],
        enterprises=totals.enterprises_all,
        inspectors=counts["inspectors"],
        visits=totals.visits,
        joint_visits=totals.joint_visits,
        coverage=totals.coverage,
        joint_share=totals.joint_share,
        year=totals,
        summary_agrees=agrees,
        audit_head=head,
        audit_entries=entries,
        overdue=overdue,
    )
