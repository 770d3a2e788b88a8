"""The quarter on the database, up to the draw and from the results on: the plan, the seed ceremony
(docs/ceremony.md) and publication (docs/operations.md). Thin commands over ``spotcheck.services``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from spotcheck.cli.shared import (
    ActorOpt,
    CapOpt,
    CategoryOpt,
    DepartmentOpt,
    FindingsOpt,
    MaxPairOpt,
    PlanOpt,
    UnstaffableOpt,
    VisitOpt,
    day,
    draw_progress,
    fail,
    frozen_options,
    run,
    who,
)

__all__ = [
    "beacon_command",
    "commit_command",
    "freeze_command",
    "handin_command",
    "plan_create",
    "plan_list",
    "plan_show",
    "publish_command",
    "reveal_command",
]


def plan_create(
    path: Annotated[Path, typer.Argument(help="plan.json (docs/formats.md)")], actor: ActorOpt = None
) -> None:
    """Store a draft plan, checked against the stored directories."""
    from spotcheck.ingest.city import read_plan
    from spotcheck.services.plans import create_plan

    plan_id = run(lambda uow: create_plan(uow(), read_plan(path), actor=who(actor)))
    typer.echo(
        f"plan {plan_id} created (draft); next: each department runs `spotcheck commit --plan {plan_id}`"
    )


def plan_list() -> None:
    """Every plan with its quarter and state."""
    from spotcheck.services.plans import list_plans

    for status in run(lambda uow: list_plans(uow())):
        typer.echo(f"plan {status.id}: {status.year}Q{status.quarter} {status.state.value}")


def plan_show(plan: PlanOpt) -> None:
    """A plan's state, ceremony and what is public about it."""
    from spotcheck.services.plans import plan_status
    from spotcheck.services.publication import public_view

    status, view = run(lambda uow: (plan_status(uow(), plan), public_view(uow(), plan)))
    typer.echo(f"plan {status.id}: {status.year}Q{status.quarter}, {status.state.value}")
    typer.echo(
        f"  departments: {', '.join(status.participants)}; committed: {', '.join(status.committed) or '-'}"
    )
    typer.echo(f"  snapshot digest: {view['snapshot_digest'] or '(not frozen)'}")
    ceremony = view.get("ceremony")
    if ceremony:
        typer.echo(f"  beacon named at the freeze: {ceremony['beacon_source']} on {ceremony['beacon_date']}")
        typer.echo(f"  system commitment: {ceremony['system_commitment']}")
        typer.echo(f"  secrets handed in: {', '.join(ceremony['handed_in']) or '-'}")
    if view["beacon"]:
        typer.echo(f"  beacon: {view['beacon']['value']} ({view['beacon']['source']})")
        if ceremony and ceremony["beacon_entered_by"]:
            typer.echo(
                f"  beacon entered by {ceremony['beacon_entered_by']} at {ceremony['beacon_entered_at']}"
            )
    if view["published"]:
        typer.echo(f"  published: {len(view['visits'])} visits, record {view['record_digest']}")
        typer.echo(f"  audit head at publication: {view['audit_head']}")
        if view.get("tree"):
            typer.echo(f"  tree root: {view['tree']['root']} ({view['tree']['size']} leaves)")


def commit_command(
    plan: PlanOpt,
    department: Annotated[str, typer.Option("--department", help="the committing department's code")],
    secret: Annotated[
        str | None, typer.Option("--secret", help="64 hex digits; default: a new random one, shown once")
    ] = None,
    actor: ActorOpt = None,
) -> None:
    """A department commits to its secret before the freeze (only the hash is stored; docs/ceremony.md)."""
    from spotcheck.services.seeding import commit_secret, new_secret

    chosen = secret or new_secret()
    hashed = run(lambda uow: commit_secret(uow(), plan, department, chosen, actor=who(actor)))
    typer.echo(f"{department} committed: {hashed}")
    if secret is None:
        typer.echo(f"SECRET (keep it; it is not stored, you hand it in after the beacon): {chosen}")


def freeze_command(
    plan: PlanOpt,
    beacon_source: Annotated[
        str, typer.Option("--beacon-source", help="the beacon named now, e.g. a lottery draw and its number")
    ],
    beacon_date: Annotated[
        date,
        typer.Option(
            "--beacon-date", parser=day, help="YYYY-MM-DD its value is published (after the freeze)"
        ),
    ],
    on: Annotated[
        date | None, typer.Option("--on", parser=day, help="freeze date YYYY-MM-DD (default: today)")
    ] = None,
    actor: ActorOpt = None,
    cap: CapOpt = None,
    max_pair: MaxPairOpt = None,
    unstaffable: UnstaffableOpt = None,
) -> None:
    """Fix every input of both draws (and the inspector draw's options), name the beacon, publish the snapshot
    digest and the system commitment."""
    from spotcheck.services.freeze import freeze

    frozen_on = on or date.today()
    frozen = run(
        lambda uow: freeze(
            uow(),
            plan,
            actor=who(actor),
            frozen_on=frozen_on,
            beacon_source=beacon_source,
            beacon_date=beacon_date,
            options=frozen_options(cap, max_pair, unstaffable),
            progress=draw_progress,
        )
    )
    typer.echo(f"plan {plan} frozen on {frozen_on}: snapshot digest {frozen.digest} ({frozen.firms:,} firms)")


def beacon_command(
    plan: PlanOpt,
    value: Annotated[str, typer.Option("--value", help="the public value, exactly as published")],
    source: Annotated[str, typer.Option("--source", help="where it was published")],
    actor: ActorOpt = None,
) -> None:
    """Enter the public beacon value after the freeze: the seed is now fixed (and still secret)."""
    from spotcheck.services.seeding import enter_beacon

    run(lambda uow: enter_beacon(uow(), plan, value, source=source, actor=who(actor)))
    typer.echo(f"plan {plan} seeded; next: each department runs `spotcheck handin --plan {plan}`, then draw")


def handin_command(
    plan: PlanOpt,
    department: Annotated[str, typer.Option("--department", help="the department handing in (audited)")],
    secret_file: Annotated[
        Path, typer.Option("--secret-file", help="a file holding the secret committed to (64 hex digits)")
    ],
    actor: ActorOpt = None,
) -> None:
    """A department hands in its secret after the beacon: checked against its commitment, sealed until
    publication (docs/ceremony.md). The operator's --department and --actor go into the audit log."""
    from spotcheck.services.ceremony import hand_in

    try:
        secret = secret_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise fail(exc) from exc
    run(lambda uow: hand_in(uow(), plan, department, secret, actor=f"{who(actor)} for {department}"))
    typer.echo(f"{department} handed in its secret for plan {plan} (sealed until publication)")


def reveal_command(
    plan: PlanOpt,
    department: DepartmentOpt,
    secret: Annotated[str, typer.Option("--secret", help="the secret committed to")],
    actor: ActorOpt = None,
) -> None:
    """Reveal a department's secret after the inspections (plans drawn under ceremony version 1; a version-2
    secret was handed in before the draw and is published with the record)."""
    from spotcheck.services.seeding import reveal

    run(lambda uow: reveal(uow(), plan, department, secret, actor=who(actor)))
    typer.echo(f"{department} revealed for plan {plan}")


def publish_command(plan: PlanOpt, actor: ActorOpt = None) -> None:
    """Publish the quarter: visits, results, the record with the reveals, the audit head (一公开)."""
    from spotcheck.services.publication import publish

    done = run(lambda uow: publish(uow(), plan, actor=who(actor)))
    typer.echo(f"plan {plan} published: {done['results']} results, record {done['record']}")
    typer.echo(f"tree root: {done['tree']['root']} ({done['tree']['size']} leaves)")
    typer.echo(f"audit head: {done['audit_head']}")


def correct_command(
    plan: PlanOpt,
    visit: VisitOpt,
    department: DepartmentOpt,
    category: CategoryOpt,
    reason: Annotated[str, typer.Option("--reason", help="why the published result is corrected")],
    findings: FindingsOpt = "",
    actor: ActorOpt = None,
) -> None:
    """Correct a published result: a new published version with its reason, appended to the chain and the
    publication's tree (docs/publication.md); the original stays on record."""
    from spotcheck.services.corrections import correct_result

    done = run(
        lambda uow: correct_result(
            uow(), plan, visit, department, category, reason=reason, findings=findings, actor=who(actor)
        )
    )
    typer.echo(f"{visit} {department}: version {done['version']} published (result {done['result']})")
    typer.echo(f"tree root {done['tree']['root']} ({done['tree']['size']} leaves)")
