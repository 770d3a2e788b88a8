"""The inspection period on the database: the window, redraws, results and their review, and the publication
clock's deadlines (docs/operations.md). Thin commands over ``spotcheck.services``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from spotcheck.cli.shared import (
    ActorOpt,
    CategoryOpt,
    DepartmentOpt,
    FindingsOpt,
    PlanOpt,
    VisitOpt,
    day,
    exits_on_error,
    fail,
    run,
    who,
)

__all__ = [
    "deadlines_command",
    "inspection_close",
    "inspection_start",
    "redraw_command",
    "result_command",
    "review_command",
]


def inspection_start(
    plan: PlanOpt,
    begin: Annotated[date, typer.Option("--begin", parser=day, help="YYYY-MM-DD")],
    end: Annotated[
        date, typer.Option("--end", parser=day, help="YYYY-MM-DD: the end of the check (publication clock)")
    ],
    actor: ActorOpt = None,
) -> None:
    """Hand out the assignments: every visit gets the inspection window."""
    from spotcheck.services.inspection import start_inspection

    run(lambda uow: start_inspection(uow(), plan, begin=begin, end=end, actor=who(actor)))
    typer.echo(f"plan {plan} in inspection from {begin} to {end}")


def inspection_close(plan: PlanOpt, actor: ActorOpt = None) -> None:
    """End the inspection period: departments may now reveal their secrets."""
    from spotcheck.services.inspection import close_inspection

    run(lambda uow: close_inspection(uow(), plan, actor=who(actor)))
    typer.echo(f"plan {plan} closed; results and reveals next")


def redraw_command(
    plan: PlanOpt,
    visit: VisitOpt,
    reason: Annotated[str, typer.Option("--reason", help="why (recorded and published)")],
    officer: Annotated[
        str | None, typer.Option("--officer", help="replace this officer (else: the firm)")
    ] = None,
    department: Annotated[str | None, typer.Option("--department", help="the officer's department")] = None,
    actor: ActorOpt = None,
) -> None:
    """Append a redraw with a fresh derived lottery: a replacement firm, or a replacement officer."""
    from spotcheck.services.redraws import redraw_firm, redraw_officer

    if officer:
        if not department:
            raise fail(ValueError("--department is required with --officer"))
        chosen = run(
            lambda uow: redraw_officer(
                uow(), plan, visit, department, officer, reason=reason, actor=who(actor)
            )
        )
        typer.echo(f"{officer} replaced by {chosen} on {visit} ({department})")
    else:
        chosen = run(lambda uow: redraw_firm(uow(), plan, visit, reason=reason, actor=who(actor)))
        typer.echo(f"{visit} kept on record; replacement visit {chosen}")


def result_command(
    plan: PlanOpt,
    visit: VisitOpt,
    department: Annotated[str, typer.Option("--department", help="the department whose result this is")],
    category: CategoryOpt,
    findings: FindingsOpt = "",
    as_department: Annotated[
        str | None, typer.Option("--as", help="the recording officer's department (default: --department)")
    ] = None,
    actor: ActorOpt = None,
) -> None:
    """Record a department's own result for its items on a visit (谁检查、谁录入)."""
    from spotcheck.services.results import record_result

    version = run(
        lambda uow: record_result(uow(), plan, visit, department, category, findings,
                                  actor_department=as_department or department, actor=who(actor))
    )  # fmt: skip
    typer.echo(f"{visit} {department}: version {version}, 待审核 (pending review)")


def review_command(
    plan: PlanOpt,
    visit: VisitOpt,
    department: DepartmentOpt,
    approve: Annotated[bool, typer.Option("--approve/--return", help="approve, or send back with --reason")],
    reason: Annotated[str, typer.Option("--reason")] = "",
    actor: ActorOpt = None,
) -> None:
    """Approve a pending result or return it with a reason."""
    from spotcheck.services.results import review

    state = run(
        lambda uow: review(uow(), plan, visit, department, approve=approve, reason=reason, actor=who(actor))
    )
    typer.echo(f"{visit} {department}: {state.label_zh} ({state.value})")


def deadlines_command(
    plan: PlanOpt,
    today: Annotated[
        date | None, typer.Option("--today", parser=day, help="YYYY-MM-DD (default: today)")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="only results past their deadline")] = False,
    holidays: Annotated[
        Path | None,
        typer.Option("--holidays", help="folder of YYYY.csv holiday files (default data/holidays)"),
    ] = None,
) -> None:
    """Unpublished results with their due date (20 official working days after the end of the check)."""
    from spotcheck.domain.calendar import WorkCalendar
    from spotcheck.services.results import deadlines

    on = today or date.today()
    with exits_on_error():
        cal = WorkCalendar.from_directory(holidays)
    rows = run(lambda uow: deadlines(uow(), plan, today=on, calendar=cal, only_overdue=overdue))
    for r in rows:
        due = "no end date yet" if r.due is None else str(r.due)
        typer.echo(f"{'OVERDUE ' if r.overdue else ''}{r.visit} {r.department} {r.state.label_zh}: due {due}")
    typer.echo(f"{len(rows)} result(s){' overdue' if overdue else ' unpublished'} on {on}")
