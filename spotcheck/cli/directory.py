"""The directories: import the city's files into the database, or generate a synthetic city
(docs/formats.md, docs/synthetic-city.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spotcheck.cli.shared import UowFactory, exits_on_error, run

__all__ = ["IMPORT_KINDS", "generate_command", "import_command"]

IMPORT_KINDS = "departments, districts, items, enterprises, tiers, inspectors, experts, conflicts"


def import_command(
    kind: Annotated[str, typer.Argument(help=f"{IMPORT_KINDS}; or 'all' with a city folder")],
    path: Annotated[Path, typer.Argument(help="a .csv/.xlsx file (or, for 'all', a city folder)")],
) -> None:
    """Validate a whole file, then store it in one transaction (nothing is stored if any row is bad)."""
    from spotcheck.store import ImportReport, import_file, import_folder

    shown: list[str] = []

    def progress(label: str, rows: int) -> None:
        if shown and shown[-1] != label:
            typer.echo("", err=True)
        shown.append(label)
        typer.echo(f"\r  {label}: {rows:,} rows read", err=True, nl=False)

    def store(uow: UowFactory) -> list[ImportReport]:
        try:
            if kind == "all":
                return import_folder(uow(), path, progress=progress)
            return [import_file(uow(), kind, path, progress=progress)]
        finally:
            typer.echo("", err=True)  # ends the progress line, before a report or an error

    for report in run(store, migrate=True):
        typer.echo(report.summary())


def generate_command(
    firms: Annotated[int, typer.Option("--firms", help="market entities (Linyi has about 1,600,000)")],
    seed: Annotated[str, typer.Option("--seed", help="any text; the same seed gives byte-identical files")],
    out: Annotated[Path, typer.Option("--out", help="folder to write the city into (docs/formats.md)")],
    officers: Annotated[
        int | None,
        typer.Option("--officers", help="default: what the plan needs, ~500 for 1.6 M firms, at least 60"),
    ] = None,
    year: Annotated[int, typer.Option("--year", help="the example plan's year")] = 2026,
    quarter: Annotated[int, typer.Option("--quarter", min=1, max=4)] = 1,
) -> None:
    """Write a synthetic, realistic city (Linyi, 临沂): the CSV files and an example plan.json."""
    from spotcheck.synth import generate_city

    def progress(message: str) -> None:
        typer.echo(f"  {message}", err=True)

    with exits_on_error():
        made = generate_city(
            out, firms=firms, seed=seed, officers=officers, year=year, quarter=quarter, progress=progress
        )
    for department, missing in made.staff.capacity_shortfall.items():
        typer.echo(f"warning: {department} officers' capacity is {missing} officer-visits short", err=True)
    typer.echo(
        f"{out}: {made.firms.firms:,} firms ({made.firms.enterprises:,} enterprises), "
        f"{len(made.staff.inspectors)} officers, {len(made.staff.conflicts)} conflicts; {made.outlook.summary()}"
    )
