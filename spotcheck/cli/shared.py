"""What every command group shares: the one error exit, the database a command runs on, and the options the
quarter's steps repeat. Commands parse, call a use case (``spotcheck.services``), print; nothing else.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from spotcheck.domain.errors import SpotcheckError

__all__ = [
    "ActorOpt",
    "CapOpt",
    "CategoryOpt",
    "DepartmentOpt",
    "FindingsOpt",
    "MaxPairOpt",
    "PlanFileOpt",
    "PlanOpt",
    "UnstaffableOpt",
    "UowFactory",
    "VisitOpt",
    "database_url",
    "day",
    "draw_progress",
    "exits_on_error",
    "fail",
    "fraction",
    "frozen_options",
    "percent",
    "read_progress",
    "run",
    "who",
]

T = TypeVar("T")

if TYPE_CHECKING:  # the store is imported when a command runs, not when `--help` is shown
    from spotcheck.solver.assign.options import FrozenOptions
    from spotcheck.store.uow import UnitOfWork

UowFactory = Callable[[], "UnitOfWork"]

ActorOpt = Annotated[
    str | None,
    typer.Option(
        "--actor",
        help="the account acting (the audit log names it); default: $SPOTCHECK_USER, else your login name",
    ),
]
PlanOpt = Annotated[int, typer.Option("--plan", help="plan id (spotcheck plan list)")]
PlanFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--plan-file", help="offline: the quarter's plan (default: plan.json in the --input folder)"
    ),
]

# A visit's result, as recording, reviewing and correcting it name it (docs/operations.md).
VisitOpt = Annotated[str, typer.Option("--visit")]
DepartmentOpt = Annotated[str, typer.Option("--department")]
CategoryOpt = Annotated[str, typer.Option("--category", help="code or Chinese label (docs/operations.md)")]
FindingsOpt = Annotated[str, typer.Option("--findings")]

# The inspector draw's options, fixed at the freeze (offline: at the draw), docs/assign-spec.md §8.
CapOpt = Annotated[
    str | None,
    typer.Option("--cap", help="officer–firm probability cap, e.g. 1/2 (the default); fixed at the freeze"),
]
MaxPairOpt = Annotated[
    int | None,
    typer.Option(
        "--max-pair", min=1, help="most teams one pair of officers may staff together; fixed at the freeze"
    ),
]
UnstaffableOpt = Annotated[
    str | None,
    typer.Option(
        "--unstaffable",
        help="teams that cannot be staffed: refuse (the default; a planner decides) or defer; fixed at the freeze",
    ),
]


def fail(exc: Exception) -> typer.Exit:
    """The one error exit: the message on stderr, status 1 (raise the result ``from exc``)."""
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code=1)


@contextmanager
def exits_on_error(*also: type[Exception]) -> Iterator[None]:
    """A spotcheck error (and any of ``also``) inside the block ends the command through ``fail``."""
    caught: tuple[type[Exception], ...] = (SpotcheckError, *also)
    try:
        yield
    except caught as exc:
        raise fail(exc) from exc


def database_url() -> str:
    from spotcheck.config import get_settings

    return get_settings().resolved_database_url


def run(action: Callable[[UowFactory], T], *, migrate: bool = False) -> T:
    """Run a use case on the configured database (``spotcheck.bootstrap``): ``action`` gets the unit-of-work
    factory. A spotcheck error is printed and exits with status 1; the connections are closed after."""
    from spotcheck.bootstrap import bootstrap
    from spotcheck.config import get_settings

    with exits_on_error(), bootstrap(get_settings(), migrate=migrate) as storage:
        return action(storage.uow)


def who(actor: str | None) -> str:
    """Who acts, as the audit log names them (docs/operations.md "Who acts"): the account ``--actor`` names, else
    the one ``$SPOTCHECK_USER`` names (``user#ID:NAME``); either must exist and be enabled. With neither, the
    login name's account if there is one, else ``os:LOGIN`` (an operator at the server without an account)."""
    import os

    from spotcheck.cli.operator import account_actor

    named = actor or os.environ.get("SPOTCHECK_USER") or None
    login = named or getpass.getuser()
    found = account_actor(login)
    if found is not None:
        return found
    if named is not None:
        raise fail(ValueError(f"no enabled account named {named!r} (spotcheck user list)"))
    return f"os:{login}"


def percent(fraction: str) -> str:
    return f"{float(Fraction(fraction)) * 100:.2f}%"


def read_progress(label: str, rows: int) -> None:
    """Progress of reading a city folder (``ingest.load_city``) on stderr: each file once it is read."""
    typer.echo(f"  {label}: {rows:,} rows read", err=True)


def day(text: str) -> date:
    """A date option (``parser=day``): YYYY-MM-DD, or the usage error that names the option."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD") from None


def fraction(text: str) -> Fraction:
    """``--cap`` as a fraction; ValidationError (a spotcheck error, so the one exit) if it is not one."""
    from spotcheck.domain.errors import ValidationError

    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError(f"{text!r} is not a fraction such as 1/2") from exc


def frozen_options(cap: str | None, max_pair: int | None, unstaffable: str | None) -> FrozenOptions:
    """The inspector draw's options as chosen at the freeze (defaults: cap 1/2, no pair limit, refuse)."""
    from spotcheck.solver.assign.options import options_from_dict

    return options_from_dict(
        {"probability_cap": cap or "1/2", "max_pair_visits": max_pair, "unstaffable": unstaffable or "refuse"}
    )


def draw_progress(stage: str, done: int, total: int) -> None:
    """Progress of a draw, a freeze or an inspector draw on stderr."""
    if stage == "lottery":
        typer.echo(f"\r  lottery numbers: {done:,}/{total:,}", err=True, nl=done == total)
    elif done == 0:
        typer.echo(f"  {stage} ...", err=True)
