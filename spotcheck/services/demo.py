"""``spotcheck demo``: the whole year on the synthetic city, quarter by quarter, on the configured database.

generate the city (once) → db upgrade → import → then for each quarter 1..N of plan.json's year: plan (plan.json's
tasks under that quarter's number) → commitments → freeze (the year's earlier records as history, see
``services.freeze.year_records``) → beacon → draw → assign → start → simulated results → review → close
→ publish. Each step is the real use case; a rerun resumes every plan from its state and, once all are
published, only reports (idempotent: `make run` twice works).

The year's totals are recounted from the stored visits (not taken from the records' summaries): coverage =
unique enterprises visited / enterprises in the directory (draw-spec §6: kind enterprise, status not excluded),
joint share = visits with ≥2 departments / all visits, beside the plan's targets.

Demo-only shortcuts, all visible in the audit log: one operator commits and hands in every department's secret
(random on every run, kept in ``data/demo-secrets.json``: ``services.demo_secrets``), the beacon is a stated
simulated value entered on its named date (the demo's clock), results are simulated from a hash of the visit.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from spotcheck.domain.categories import ReviewState
from spotcheck.domain.lifecycle import PlanState
from spotcheck.domain.model import EXCLUDED_STATUSES, EntityKind, Plan, Targets
from spotcheck.ingest.city import read_plan
from spotcheck.ingest.tiers import quarter_start
from spotcheck.services import ceremony, draws, freeze, inspection, plans, publication, results, seeding
from spotcheck.services.demo_secrets import quarter_secrets
from spotcheck.store import UnitOfWork, import_folder, make_engine, upgrade
from spotcheck.store.directory import EnterpriseRow
from spotcheck.store.quarter import AssignmentRow, PlanRow, VisitRow
from spotcheck.synth import generate_city

__all__ = [
    "DemoReport",
    "QuarterLine",
    "YearTotals",
    "report_lines",
    "run_demo",
    "simulated_category",
    "year_totals",
]

Say = Callable[[str], None]
ACTOR = "demo"
SECRETS_FILE = "demo-secrets.json"  # beside the demo city: data/demo-secrets.json (git-ignored, mode 0600)
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
_EXCLUDED = frozenset(s.value for s in EXCLUDED_STATUSES)


@dataclass(frozen=True)
class QuarterLine:
    """One quarter as stored: its plan, state and visits (recounted from the visits table)."""

    quarter: int
    plan_id: int
    state: str
    visits: int  # carried out (staffed; before the inspector draw: planned)
    joint_visits: int
    deferred: int  # drawn, deferred at the inspector draw: not carried out this quarter
    enterprises_visited: int  # unique enterprises visited this quarter
    new_enterprises: int  # of which not visited earlier in the year
    coverage: Fraction  # year to date after this quarter
    joint_share: Fraction  # year to date after this quarter


@dataclass(frozen=True)
class YearTotals:
    """The year so far (quarters 1..N), recounted from the stored visits."""

    year: int
    quarters: tuple[QuarterLine, ...]
    visits: int  # carried out
    joint_visits: int
    deferred: int
    drawn: tuple[
        int, int, int
    ]  # (visits, joint, enterprises) as the last record's summary counts: earlier quarters carried out, its drawn
    enterprises_visited: int  # unique enterprises (kind enterprise) visited in the year
    enterprises: int  # coverage denominator: enterprises in the directory whose status is not excluded
    enterprises_all: int  # every enterprise in the directory, gone ones included
    most_visits_per_firm: int
    repeated_items: int  # (firm, item) pairs checked more than once in the year: 0 by law
    targets: Targets

    @property
    def coverage(self) -> Fraction:
        return Fraction(self.enterprises_visited, max(self.enterprises, 1))

    @property
    def joint_share(self) -> Fraction:
        return Fraction(self.joint_visits, max(self.visits, 1))

    @property
    def coverage_met(self) -> bool:
        return self.coverage >= self.targets.coverage

    @property
    def joint_share_met(self) -> bool:
        return self.joint_share >= self.targets.joint_share


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


def simulated_category(seed: str, visit: str, department: str) -> str:
    roll = (
        int.from_bytes(hashlib.sha256(f"{seed}\n{visit}\n{department}".encode()).digest()[:8], "big") % 1000
    )
    for code, share in OUTCOMES:
        if roll < share:
            return code
        roll -= share
    return OUTCOMES[0][0]


def run_demo(
    url: str, city_dir: Path, *, firms: int, seed: str = "demo", quarters: int = 1, say: Say = print
) -> DemoReport:
    """Run quarters 1..``quarters`` of plan.json's year, each to publication (or resume them), and report the
    year recounted from the stored visits. ``spotcheck demo`` asks for 4, the whole year; the default, one
    quarter, is what the quarter and API benchmarks measure."""
    if not 1 <= quarters <= 4:
        raise ValueError(f"quarters must be 1..4, not {quarters}")
    if not (city_dir / "plan.json").exists() or _firms_in(city_dir) != firms:
        say(f"generating the synthetic city ({firms:,} firms) into {city_dir}")
        generate_city(city_dir, firms=firms, seed=seed, progress=lambda m: say(f"  {m}"))
    upgrade(url)
    engine = make_engine(url)
    try:
        uow: Callable[[], UnitOfWork] = lambda: UnitOfWork(engine)
        for report in import_folder(uow(), city_dir, actor=ACTOR):
            say(report.summary())
        base = read_plan(city_dir / "plan.json")
        plan_ids = [
            _quarter(uow, dataclasses.replace(base, quarter=q), seed, say, city_dir.parent / SECRETS_FILE)
            for q in range(1, quarters + 1)
        ]
        return _report(uow, base.year, plan_ids, quarters)
    finally:
        engine.dispose()


def _firms_in(city_dir: Path) -> int:
    path = city_dir / "enterprises.csv"
    if not path.exists():
        return -1
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def _quarter_end(year: int, quarter: int) -> date:
    begin = quarter_start(year, quarter)
    return (begin + timedelta(days=95)).replace(day=1) - timedelta(days=1)


def _quarter(uow: Callable[[], UnitOfWork], plan: Plan, seed: str, say: Say, kept: Path) -> int:
    """Take the quarter's plan (created if missing) from its state to publication; return its id."""
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
    begin = quarter_start(plan.year, plan.quarter)
    end = _quarter_end(plan.year, plan.quarter)
    beacon_source = "simulated (demo): not a real public beacon"
    beacon_date = begin - timedelta(days=6)
    if state is PlanState.DRAFT:
        for department in sorted(set(secrets) - set(status.committed)):
            seeding.commit_secret(uow(), plan_id, department, secrets[department], actor=department)
        frozen = freeze.freeze(
            uow(),
            plan_id,
            actor=ACTOR,
            frozen_on=begin - timedelta(days=7),
            beacon_source=beacon_source,
            beacon_date=beacon_date,
        )
        with uow() as u:
            cited = len(freeze.year_records(u, plan.year, plan.quarter))
        say(
            f"  plan {plan_id} frozen: snapshot digest {frozen.digest} ({frozen.firms:,} firms, "
            f"{cited} earlier record(s) of {plan.year} as history)"
        )
        state = PlanState.FROZEN
    if state is PlanState.FROZEN:
        beacon = f"demo beacon {label} {hashlib.sha256(seed.encode()).hexdigest()[:16]}"
        seeding.enter_beacon(uow(), plan_id, beacon, source=beacon_source, actor=ACTOR, today=beacon_date)
        state = PlanState.SEEDED
    if state is PlanState.SEEDED:
        with uow() as u:
            waiting = sorted(set(secrets) - set(ceremony.handed_in(u, plan_id)))
        for department in waiting:
            ceremony.hand_in(uow(), plan_id, department, secrets[department], actor=department)
        drawn = draws.run_draw(uow(), plan_id, actor=ACTOR, progress=_progress(say))
        say(f"  drawn: {drawn.visits:,} visits, {drawn.joint_visits:,} joint")
        state = PlanState.DRAWN
    if state is PlanState.DRAWN:
        stats = inspection.run_assign(uow(), plan_id, actor=ACTOR, defer_unstaffable=True)
        say(f"  assigned: {stats['teams_staffed']:,}/{stats['teams']:,} teams, {stats['seats']:,} seats")
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
        published = publication.publish(uow(), plan_id, actor=ACTOR)
        say(f"  published: {published['results']:,} results; audit head {published['audit_head']}")
    return plan_id


def _progress(say: Say) -> Callable[[str, int, int], None]:
    def show(stage: str, done: int, total: int) -> None:
        if done == total and total:
            say(f"    {stage}: {done:,}/{total:,}")

    return show


def _simulate_results(uow: Callable[[], UnitOfWork], plan_id: int, seed: str, end: date, say: Say) -> None:
    owed = _owed(uow, plan_id)  # a deferred visit owes no result this quarter
    pending = [d for d in results.deadlines(uow(), plan_id, today=end) if (d.visit, d.department) in owed]
    say(f"  simulating {len(pending):,} results (each department its own)")
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
            say(f"    results {n:,}/{len(pending):,}")


def _owed(uow: Callable[[], UnitOfWork], plan_id: int) -> set[tuple[str, str]]:
    with uow() as u:
        return {(visit.id, department) for visit, department in results.inspected(u, plan_id)}


def year_totals(uow: UnitOfWork, year: int, quarters: int) -> YearTotals:
    """Quarters 1..``quarters`` of ``year`` recounted from the stored visits and the stored directory.

    Coverage, joint share and the legal checks (an item once a year, the visit cap) count the visits carried
    out: a visit deferred at the inspector draw (no lawful team, e.g. every eligible officer inspected the firm
    last time) is counted apart and, as in the draw's history (draw-spec §4), leaves the firm free for its items
    in a later quarter."""
    enterprise = EntityKind.ENTERPRISE.value
    with uow:
        kind_count = select(func.count()).select_from(EnterpriseRow).where(EnterpriseRow.kind == enterprise)
        everyone = int(uow.session.execute(kind_count).scalar_one())
        active = int(
            uow.session.execute(kind_count.where(EnterpriseRow.status.not_in(sorted(_EXCLUDED)))).scalar_one()
        )
        in_year = (PlanRow.year == year, PlanRow.quarter <= quarters)
        stored = list(
            uow.session.execute(
                select(PlanRow.quarter, PlanRow.id, PlanRow.state, VisitRow.id.label("visit"), VisitRow.uscc,
                       VisitRow.departments, VisitRow.items, EnterpriseRow.kind)
                .join(VisitRow, VisitRow.plan_id == PlanRow.id, isouter=True)
                .join(EnterpriseRow, EnterpriseRow.uscc == VisitRow.uscc, isouter=True)
                .where(*in_year)
                .order_by(PlanRow.quarter, PlanRow.id, VisitRow.id)
            )
        )  # fmt: skip
        staffed = {
            (visit, plan)
            for visit, plan in uow.session.execute(
                select(AssignmentRow.visit_id, VisitRow.plan_id)
                .join(VisitRow, VisitRow.id == AssignmentRow.visit_id)
                .join(PlanRow, PlanRow.id == VisitRow.plan_id)
                .where(*in_year)
                .distinct()
            )
        }
        last = max((r.id for r in stored), default=None)
        targets = uow.plans.plan(last).targets if last is not None else Targets()
    assigned = {plan for _, plan in staffed}
    teams = {visit for visit, _ in staffed}
    by_plan: dict[tuple[int, int, str], list[Any]] = {}  # stored rows by (quarter, plan, state)
    for r in stored:
        by_plan.setdefault((r.quarter, r.id, r.state), []).extend([r] if r.uscc is not None else [])
    lines: list[QuarterLine] = []
    seen: set[str] = set()
    count: dict[str, int] = {}
    done: dict[str, set[str]] = {}
    repeated = visits = joint = deferred = 0
    as_recorded = (0, 0, 0)
    for (quarter, plan_id, state), drawn in by_plan.items():
        # What this quarter's record summary counts: earlier quarters' visits carried out, this quarter's drawn.
        as_recorded = (
            visits + len(drawn),
            joint + sum(1 for r in drawn if len(r.departments.split(";")) >= 2),
            len(seen | {r.uscc for r in drawn if r.kind == enterprise}),
        )
        rows = [r for r in drawn if plan_id not in assigned or r.visit in teams]
        for r in rows:
            count[r.uscc] = count.get(r.uscc, 0) + 1
            had = done.setdefault(r.uscc, set())
            items = set(r.items.split(";"))
            repeated += len(had & items)
            had |= items
        firms = {r.uscc for r in rows if r.kind == enterprise}
        q_joint = sum(1 for r in rows if len(r.departments.split(";")) >= 2)
        new = firms - seen
        seen |= firms
        visits += len(rows)
        joint += q_joint
        deferred += len(drawn) - len(rows)
        lines.append(
            QuarterLine(
                quarter=quarter,
                plan_id=plan_id,
                state=state,
                visits=len(rows),
                joint_visits=q_joint,
                deferred=len(drawn) - len(rows),
                enterprises_visited=len(firms),
                new_enterprises=len(new),
                coverage=Fraction(len(seen), max(active, 1)),
                joint_share=Fraction(joint, max(visits, 1)),
            )
        )
    return YearTotals(
        year=year,
        quarters=tuple(lines),
        visits=visits,
        joint_visits=joint,
        deferred=deferred,
        drawn=as_recorded,
        enterprises_visited=len(seen),
        enterprises=active,
        enterprises_all=everyone,
        most_visits_per_firm=max(count.values(), default=0),
        repeated_items=repeated,
        targets=targets,
    )


def _report(uow: Callable[[], UnitOfWork], year: int, plan_ids: list[int], quarters: int) -> DemoReport:
    totals = year_totals(uow(), year, quarters)
    last = plan_ids[-1]
    with uow() as u:
        counts = {k: u.directory.count(k) for k in ("enterprises", "inspectors")}
        ytd = draws.draw_record(u, last)["summary"]["year_to_date"]
    agrees = (ytd["visits"], ytd["joint_visits"], ytd["enterprises_visited"]) == totals.drawn
    head, entries = publication.verify_audit(uow())
    end = _quarter_end(year, quarters)
    overdue = 0
    for p in plan_ids:  # unpublished results still open 60 days after the last quarter's end
        owed = _owed(uow, p)
        late = results.deadlines(uow(), p, today=end + timedelta(days=60), only_overdue=True)
        overdue += sum(1 for due in late if (due.visit, due.department) in owed)
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


def report_lines(report: DemoReport) -> list[str]:
    """The demo's closing summary: the city, one line per quarter, the year's totals beside the targets."""
    y, t = report.year, report.year.targets
    n = len(y.quarters)
    lines = [
        f"city: {report.firms:,} market entities ({report.enterprises:,} enterprises), {report.inspectors} officers"
    ]
    for q in y.quarters:
        lines.append(
            f"{y.year}Q{q.quarter} (plan {q.plan_id}, {q.state}): {q.visits:,} visits, {q.joint_visits:,} joint"
            f"{f', {q.deferred} deferred' if q.deferred else ''}; {q.enterprises_visited:,} enterprises ({q.new_enterprises:,} new this year) -> year so far: "
            f"coverage {float(q.coverage):.2%}, joint share {float(q.joint_share):.1%}"
        )
    partial = "" if n == 4 else f" ({n} of 4 quarters run; the targets are yearly)"
    of_all = float(Fraction(y.enterprises_visited, max(y.enterprises_all, 1)))
    coverage = (
        f"  coverage    {float(y.coverage):6.2%} = {y.enterprises_visited:,} unique enterprises visited / "
        f"{y.enterprises:,} enterprises in the directory (closed, deregistered etc. excluded; {of_all:.2%} "
        f"of all {y.enterprises_all:,})   target >= {float(t.coverage):.0%} {_mark(y.coverage_met)}"
    )
    joint = (
        f"  joint share {float(y.joint_share):6.2%} = {y.joint_visits:,} joint visits / {y.visits:,} visits carried out"
        f"{f' ({y.deferred} more deferred: no lawful team)' if y.deferred else ''}   target >= {float(t.joint_share):.0%} {_mark(y.joint_share_met)}"
    )
    lawful = y.repeated_items == 0 and y.most_visits_per_firm <= t.max_visits_per_firm_year
    rules = (
        f"  same item on a firm twice: {y.repeated_items}; most visits to one firm: {y.most_visits_per_firm} "
        f"(cap {t.max_visits_per_firm_year}) {_mark(lawful)}"
    )
    agrees = (
        "agrees with the stored visits (earlier quarters carried out, the last one drawn)"
        if report.summary_agrees
        else "DIFFERS from the stored visits (directory changed since the draw?)"
    )
    return [
        *lines,
        f"year {y.year}, Q1-Q{n}, recounted from the stored visits{partial}:",
        coverage,
        joint,
        rules,
        f"  the last draw record's year-to-date summary {agrees}",
        *([f"  overdue results: {report.overdue}"] if report.overdue else []),
        f"audit log: {report.audit_entries} entries, head {report.audit_head}",
    ]


def _mark(ok: bool) -> str:
    return "\u2713" if ok else "\u2717"
