"""``spotcheck demo``: the whole year on the synthetic city (``spotcheck.services.demo``), and the closing
report: the city, one line per quarter, the year's totals beside the plan's targets (docs/operations.md)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from spotcheck.cli.shared import run

if TYPE_CHECKING:
    from spotcheck.services.demo import DemoReport

__all__ = ["demo_command", "report_lines"]


def demo_command(
    firms: Annotated[int, typer.Option("--firms", help="size of the synthetic city")] = 20_000,
    city: Annotated[Path, typer.Option("--city", help="where the synthetic city is written")] = Path(
        "data/demo-city"
    ),
    quarters: Annotated[
        int, typer.Option("--quarters", min=1, max=4, help="run quarters 1..N of the plan's year")
    ] = 4,
    accounts_file: Annotated[
        Path,
        typer.Option("--accounts-file", help="where the demo accounts' passwords are kept (git-ignored)"),
    ] = Path("data/demo-accounts.txt"),
) -> None:
    """The whole year on the synthetic city, quarter by quarter: generate, import, plan, ceremony, draw, assign,
    simulated results, review, publish; then the year's coverage and joint share against the targets. A rerun
    resumes each quarter from its state, or just reports."""
    from spotcheck.services.demo import run_demo

    report = run(
        lambda uow: run_demo(uow, city, firms=firms, quarters=quarters, say=typer.echo), migrate=True
    )
    typer.echo("\n".join(report_lines(report)))
    _accounts(accounts_file)


def _accounts(path: Path) -> None:
    """Create the demo's accounts; print their passwords once and keep them in a file only you can read."""
    import os

    from spotcheck.services.demo_accounts import demo_accounts

    made = run(lambda uow: demo_accounts(uow))
    if not made:
        typer.echo(f"demo accounts exist already (their passwords: {path}, if you kept it)")
        return
    lines = [f"{a.username}\t{a.role}\t{a.of}\t{a.password}" for a in made]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write("".join(line + "\n" for line in lines))
    os.chmod(path, 0o600)
    typer.echo(f"demo accounts (sign in at /dashboard or /inspector; shown once, kept in {path}, mode 0600):")
    typer.echo("\n".join(f"  {line}" for line in lines))


def report_lines(report: DemoReport) -> list[str]:
    """The demo's closing summary: the city, one line per quarter, the year's totals beside the targets."""
    y = report.year
    lines = [
        f"city: {report.firms:,} market entities ({report.enterprises:,} enterprises), {report.inspectors} officers"
    ]
    for q in y.quarters:
        lines.append(
            f"{y.year}Q{q.quarter} (plan {q.plan_id}, {q.state}): {q.visits:,} visits, {q.joint_visits:,} joint"
            f"{f', {q.deferred} deferred' if q.deferred else ''}; {q.enterprises_visited:,} enterprises "
            f"({q.new_enterprises:,} new this year) -> year so far: "
            f"coverage {float(q.coverage):.2%}, joint share {float(q.joint_share):.1%}"
        )
    n = len(y.quarters)
    partial = "" if n == 4 else f" ({n} of 4 quarters run; the targets are yearly)"
    agrees = (
        "agrees with the stored visits (earlier quarters carried out, the last one drawn)"
        if report.summary_agrees
        else "DIFFERS from the stored visits (directory changed since the draw?)"
    )
    return [
        *lines,
        f"year {y.year}, Q1-Q{n}, recounted from the stored visits{partial}:",
        *_year_lines(report),
        f"  the last draw record's year-to-date summary {agrees}",
        *([f"  overdue results: {report.overdue}"] if report.overdue else []),
        f"audit log: {report.audit_entries} entries, head {report.audit_head}",
    ]


def _year_lines(report: DemoReport) -> list[str]:
    """Coverage, joint share and the legal limits, each with its target and a tick or a cross."""
    y, t = report.year, report.year.targets
    of_all = float(Fraction(y.enterprises_visited, max(y.enterprises_all, 1)))
    coverage = (
        f"  coverage    {float(y.coverage):6.2%} = {y.enterprises_visited:,} unique enterprises visited / "
        f"{y.enterprises:,} enterprises in the directory (closed, deregistered etc. excluded; {of_all:.2%} "
        f"of all {y.enterprises_all:,})   target >= {float(t.coverage):.0%} {_mark(y.coverage_met)}"
    )
    deferred = f" ({y.deferred} more deferred: no lawful team)" if y.deferred else ""
    joint = (
        f"  joint share {float(y.joint_share):6.2%} = {y.joint_visits:,} joint visits / {y.visits:,} visits "
        f"carried out{deferred}   target >= {float(t.joint_share):.0%} {_mark(y.joint_share_met)}"
    )
    lawful = y.repeated_items == 0 and y.most_visits_per_firm <= t.max_visits_per_firm_year
    rules = (
        f"  same item on a firm twice: {y.repeated_items}; most visits to one firm: {y.most_visits_per_firm} "
        f"(cap {t.max_visits_per_firm_year}) {_mark(lawful)}"
    )
    return [coverage, joint, rules]


def _mark(ok: bool) -> str:
    return "\u2713" if ok else "\u2717"
