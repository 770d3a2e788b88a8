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


def _draw_progress(stage: str, done: int, total: int) -> None:
    if stage == "lottery":
        typer.echo(f"\r  lottery numbers: {done:,}/{total:,}", err=True, nl=done == total)
    elif done == 0:
        typer.echo(f"  {stage} ...", err=True)


@app.command("draw")
def draw_command(
    input_dir: Annotated[Path, typer.Option("--input", help="city folder (docs/formats.md) with plan.json")],
    year: Annotated[int, typer.Option("--year")],
    quarter: Annotated[int, typer.Option("--quarter", min=1, max=4)],
    seed: Annotated[str, typer.Option("--seed", help="hex; a bare seed is recorded as a simulation seed")],
    out: Annotated[Path, typer.Option("--out", help="where to write the record (canonical JSON)")],
    history: Annotated[
        list[Path] | None, typer.Option("--history", help="earlier quarters' records of the same year")
    ] = None,
) -> None:
    """Draw the quarter's targets (docs/draw-spec.md) and write the record."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.ingest import load_city
    from spotcheck.solver.quarter import draw_quarter
    from spotcheck.solver.record import dump_record, load_record

    try:
        city = load_city(input_dir)
        past = [load_record(p) for p in history or []]
        record = draw_quarter(city, year=year, quarter=quarter, seed=seed, history=past, progress=_draw_progress)
        out.write_bytes(dump_record(record))
    except SpotcheckError as exc:
        raise _exit_with(exc) from exc
    q, ytd = record["summary"]["quarter"], record["summary"]["year_to_date"]
    typer.echo(
        f"{out}: {q['visits']} visits, {q['joint_visits']} joint; year to date coverage "
        f"{_percent(ytd['coverage'])}, joint share {_percent(ytd['joint_share'])}"
    )


@app.command("verify")
def verify_command(
    record_path: Annotated[Path, typer.Argument(metavar="RECORD", help="a draw record")],
    input_dir: Annotated[Path, typer.Option("--input", help="the city folder the draw read")],
    history: Annotated[list[Path] | None, typer.Option("--history", help="the earlier records the draw cites")] = None,
) -> None:
    """Recompute the draw from the inputs; exit 0 only if every byte of the record matches."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.ingest import load_city
    from spotcheck.solver.record import load_record
    from spotcheck.solver.verify import verify_file

    try:
        city = load_city(input_dir)
        record = verify_file(record_path, city, [load_record(p) for p in history or []])
    except SpotcheckError as exc:
        raise _exit_with(exc) from exc
    typer.echo(f"{record_path}: verified, {len(record['visits'])} visits reproduced byte for byte")


@app.command("lottery")
def lottery_command(
    seed: Annotated[str, typer.Option("--seed", help="the draw's seed (hex), from the record")],
    uscc: Annotated[str, typer.Option("--uscc", help="the firm's credit code")],
) -> None:
    """Print a firm's lottery number and how to recompute it with standard-library Python."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.domain.uscc import normalise
    from spotcheck.solver.prn import lottery_number, parse_seed, recompute_snippet

    try:
        raw, code = parse_seed(seed), normalise(uscc)[0]
    except SpotcheckError as exc:
        raise _exit_with(exc) from exc
    u = lottery_number(raw, code)
    typer.echo(f"{code}: lottery number {u} (u = {u}/2^64 ≈ {u / 2**64:.6f})")
    typer.echo("drawn by a task iff (number − offset) mod 2^64 < threshold, both in the record's strata")
    typer.echo("recompute it:\n" + recompute_snippet(raw.hex(), code))


def _exit_with(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code=1)


def _percent(fraction: str) -> str:
    from fractions import Fraction

    return f"{float(Fraction(fraction)) * 100:.2f}%"


@app.command("generate")
def generate_command(
    firms: Annotated[int, typer.Option("--firms", help="market entities (Linyi has about 1,600,000)")],
    seed: Annotated[str, typer.Option("--seed", help="any text; the same seed gives byte-identical files")],
    out: Annotated[Path, typer.Option("--out", help="folder to write the city into (docs/formats.md)")],
    officers: Annotated[
        int | None, typer.Option("--officers", help="default: what the plan needs, ~500 for 1.6 M firms, at least 60")
    ] = None,
    year: Annotated[int, typer.Option("--year", help="the example plan's year")] = 2026,
    quarter: Annotated[int, typer.Option("--quarter", min=1, max=4)] = 1,
) -> None:
    """Write a synthetic, realistic city (Linyi, 临沂): the CSV files and an example plan.json."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.synth import generate_city

    def progress(message: str) -> None:
        typer.echo(f"  {message}", err=True)

    try:
        made = generate_city(
            out, firms=firms, seed=seed, officers=officers, year=year, quarter=quarter, progress=progress
        )
    except SpotcheckError as exc:
        raise _exit_with(exc) from exc
    for department, missing in made.staff.capacity_shortfall.items():
        typer.echo(f"warning: {department} officers' capacity is {missing} officer-visits short", err=True)
    typer.echo(
        f"{out}: {made.firms.firms:,} firms ({made.firms.enterprises:,} enterprises), "
        f"{len(made.staff.inspectors)} officers, {len(made.staff.conflicts)} conflicts; {made.outlook.summary()}"
    )


token_app = typer.Typer(help="API tokens: issue one (shown once; only its SHA-256 is stored).", no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="regulator | inspector | credit")],
    subject: Annotated[str, typer.Option(help="department code, inspector id, or client name")],
) -> None:
    """Issue an API token and print it once."""
    from spotcheck.api.security import ISSUABLE_ROLES
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.store.engine import make_engine
    from spotcheck.store.uow import UnitOfWork

    if role not in ISSUABLE_ROLES:
        raise _fail(ValueError(f"role must be one of {', '.join(ISSUABLE_ROLES)}, not {role!r}"))
    if not subject.strip():
        raise _fail(ValueError("--subject must name who the token is for"))
    engine = make_engine(_database_url())
    try:
        with UnitOfWork(engine) as uow:
            token, row = uow.tokens.issue(role, subject.strip())
            uow.commit()
    except SpotcheckError as exc:
        raise _fail(exc) from exc
    finally:
        engine.dispose()
    typer.echo(f"token #{row.id} for {role} {subject.strip()} (shown once, keep it safe):", err=True)
    typer.echo(token)


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the API and the public page (uvicorn)."""
    import uvicorn

    from spotcheck.api import create_app
    from spotcheck.config import get_settings

    try:
        application = create_app(get_settings())
    except ValueError as exc:  # e.g. the default secret outside dev
        raise _fail(exc) from exc
    typer.echo(f"spotcheck API on http://{host}:{port} (docs /docs, public page /, dashboard /dashboard)")
    uvicorn.run(application, host=host, port=port, log_level="info")


@app.command("assign")
def assign_command(
    record_path: Annotated[Path, typer.Option("--record", help="the quarter's draw record (targets drawn)")],
    input_dir: Annotated[Path, typer.Option("--input", help="the city folder the draw read")],
    out: Annotated[Path, typer.Option("--out", help="where to write the record with officers")],
    history: Annotated[
        list[Path] | None, typer.Option("--history", help="earlier records with officers (rotation)")
    ] = None,
    decisions: Annotated[
        Path | None, typer.Option("--decisions", help="planner decisions (docs/assign-spec.md §6)")
    ] = None,
    cap: Annotated[
        str | None, typer.Option("--cap", help="officer–firm probability cap, e.g. 1/2 (the default)")
    ] = None,
) -> None:
    """Draw every visit's officers (docs/assign-spec.md) and write the record with them."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.ingest import load_city
    from spotcheck.solver.assign_inputs import config_from_dict, load_decisions
    from spotcheck.solver.assign_record import attach_assignments
    from spotcheck.solver.record import dump_record, load_record

    def progress(stage: str, done: int, total: int) -> None:
        typer.echo(f"  {stage}: {done:,}/{total:,}", err=True)

    try:
        city = load_city(input_dir)
        record = attach_assignments(
            load_record(record_path),
            city,
            [load_record(p) for p in history or []],
            decisions=None if decisions is None else load_decisions(decisions),
            config=None if cap is None else config_from_dict({"probability_cap": cap}),
            progress=progress,
        )
        out.write_bytes(dump_record(record))
    except SpotcheckError as exc:
        raise _fail(exc) from exc
    section = record["assignment"]
    for problem in section["problems"]:
        typer.echo(
            f"unstaffed: {problem['visit']} {problem['department']} ({problem['rule']}): {problem['fix']}", err=True
        )
    for unmet in section["caps_unmet"]:
        typer.echo(
            f"cap cannot hold: {unmet['department']} in {unmet['district']}, team {unmet['team']} of "
            f"{unmet['eligible']} eligible (p = {unmet['probability']}) on {unmet['visits']} visits",
            err=True,
        )
    stats = section["stats"]
    typer.echo(
        f"{out}: {stats['teams_staffed']}/{stats['teams']} teams staffed, {stats['seats']} seats, "
        f"{stats['officers_used']} officers; {stats['teams_unstaffed']} unstaffed, {stats['deferred']} deferred"
    )


if __name__ == "__main__":
    app()
