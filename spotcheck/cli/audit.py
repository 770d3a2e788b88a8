"""The hash-chained audit log (docs/ceremony.md): verify it, recompute a published plan, print the head."""

from __future__ import annotations

from typing import Annotated

import typer

from spotcheck.cli.shared import PlanOpt, run

__all__ = ["audit_head", "audit_plan", "audit_verify"]


def audit_verify(
    published: Annotated[
        str | None, typer.Option("--head", help="a published head that must be in the log")
    ] = None,
) -> None:
    """Recompute every entry's hash (naming the first changed, removed or reordered entry) and every
    publication's tree and credit feed (naming each altered, added or deleted row)."""
    from spotcheck.services.publication import verify_audit

    head, entries = run(lambda uow: verify_audit(uow(), published=published))
    typer.echo(f"audit log intact: {entries} entries, head {head}")


def audit_plan(plan: PlanOpt) -> None:
    """Recompute a published plan from its frozen snapshot: draw, ceremony, officers, and the audit chain."""
    from spotcheck.services.publication import verify_plan

    done = run(lambda uow: verify_plan(uow(), plan))
    typer.echo(
        f"plan {plan} verified: record {done['record']} ({done['visits']} visits) reproduced byte for byte, "
        f"ceremony checked; audit log intact ({done['entries']} entries, head {done['audit_head']})"
    )


def audit_head() -> None:
    """Print the audit log's head hash."""
    from spotcheck.services.publication import verify_audit

    head, entries = run(lambda uow: verify_audit(uow()))
    typer.echo(f"{head} ({entries} entries)")
