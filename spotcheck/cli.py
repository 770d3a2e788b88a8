"""The command line: thin — parse, call a use case, print. `spotcheck --help` lists the steps of a quarter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="spotcheck: seeded, auditable 'double random, one public' (双随机、一公开) spot checks.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _main() -> None:
    """Plan, freeze, seed, draw, assign and publish a quarter of joint spot checks."""


db_app = typer.Typer(help="The database: run migrations, show the schema revision.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _database_url() -> str:
    from spotcheck.config import get_settings

    return get_settings().resolved_database_url


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code=1)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="target revision")] = "head") -> None:
    """Create or migrate the tables on SPOTCHECK_DATABASE_URL (default: data/spotcheck.sqlite)."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.store.migrate import current, upgrade

    url = _database_url()
    try:
        upgrade(url, revision)
        typer.echo(f"database at revision {current(url)}")
    except SpotcheckError as exc:
        raise _fail(exc) from exc


@db_app.command("current")
def db_current() -> None:
    """Show the database's schema revision and the newest one this version ships."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.store.migrate import current, head

    try:
        typer.echo(f"database: {current(_database_url()) or '(not migrated)'}; newest: {head()}")
    except SpotcheckError as exc:
        raise _fail(exc) from exc


IMPORT_KINDS = "departments, districts, items, enterprises, tiers, inspectors, experts, conflicts"


@app.command("import")
def import_command(
    kind: Annotated[str, typer.Argument(help=f"{IMPORT_KINDS}; or 'all' with a city folder")],
    path: Annotated[Path, typer.Argument(help="a .csv/.xlsx file (or, for 'all', a city folder)")],
) -> None:
    """Validate a whole file, then store it in one transaction (nothing is stored if any row is bad)."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.store import UnitOfWork, import_file, import_folder, make_engine, upgrade

    shown: list[str] = []

    def progress(label: str, rows: int) -> None:
        if shown and shown[-1] != label:
            typer.echo("", err=True)
        shown.append(label)
        typer.echo(f"\r  {label}: {rows:,} rows read", err=True, nl=False)

    url = _database_url()
    try:
        upgrade(url)
        engine = make_engine(url)
        try:
            uow = UnitOfWork(engine)
            if kind == "all":
                reports = import_folder(uow, path, progress=progress)
            else:
                reports = [import_file(uow, kind, path, progress=progress)]
        finally:
            engine.dispose()
    except SpotcheckError as exc:
        typer.echo("", err=True)
        raise _fail(exc) from exc
    typer.echo("", err=True)
    for report in reports:
        typer.echo(report.summary())


if __name__ == "__main__":
    app()
