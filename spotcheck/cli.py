"""The command line: thin — parse, call a use case, print. `spotcheck --help` lists the steps of a quarter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    help="spotcheck: seeded, auditable 'double random, one public' (双随机、一公开) spot checks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # a traceback must never print secrets held in local variables
)


def main() -> None:
    """The console entry point: a file that cannot be read or written is an error message, not a traceback."""
    try:
        app()
    except OSError as exc:
        typer.echo(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
        raise SystemExit(1) from exc


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
    input_dir: Annotated[
        Path | None, typer.Option("--input", help="offline: city folder (docs/formats.md) with plan.json")
    ] = None,
    year: Annotated[int | None, typer.Option("--year")] = None,
    quarter: Annotated[int | None, typer.Option("--quarter", min=1, max=4)] = None,
    seed: Annotated[
        str | None, typer.Option("--seed", help="hex; a bare seed is recorded as a simulation seed")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="where to write the record (canonical JSON)")
    ] = None,
    history: Annotated[
        list[Path] | None, typer.Option("--history", help="earlier quarters' records of the same year")
    ] = None,
    plan_file: PlanFileOpt = None,
    plan: Annotated[int | None, typer.Option("--plan", help="database: draw this seeded plan")] = None,
) -> None:
    """Draw the quarter's targets (docs/draw-spec.md): offline (--input … --out) or on the database (--plan)."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.ingest import load_city
    from spotcheck.solver.quarter import draw_quarter
    from spotcheck.solver.record import dump_record, load_record

    if plan is not None:
        _draw_plan(plan)
        return
    if input_dir is None or year is None or quarter is None or seed is None or out is None:
        raise _fail(
            ValueError("offline draw needs --input, --year, --quarter, --seed and --out (or use --plan)")
        )
    try:
        city = load_city(input_dir, plan_path=plan_file)
        past = [load_record(p) for p in history or []]
        record = draw_quarter(
            city, year=year, quarter=quarter, seed=seed, history=past, progress=_draw_progress
        )
        out.write_bytes(dump_record(record))
    except (SpotcheckError, OSError) as exc:
        raise _fail(exc) from exc
    for warning in record["plan"]["coordination"].get("warnings", []):
        typer.echo(f"warning: {warning}", err=True)
    q, ytd = record["summary"]["quarter"], record["summary"]["year_to_date"]
    typer.echo(
        f"{out}: {q['visits']} visits, {q['joint_visits']} joint; year to date coverage "
        f"{_percent(ytd['coverage'])}, joint share {_percent(ytd['joint_share'])}"
    )


def _draw_plan(plan: int) -> None:
    """The database mode of `draw`: the ceremony's seed from the secrets the departments handed in (none is given
    here), one transaction (spotcheck.services)."""
    from spotcheck.services.draws import run_draw

    drawn = _quarter_step(lambda: run_draw(_uow(), plan, actor=_actor(None), progress=_draw_progress))
    q = drawn.summary["quarter"]
    typer.echo(
        f"plan {plan} drawn: {drawn.visits} visits, {drawn.joint_visits} joint, coverage this quarter "
        f"{_percent(q['coverage'])}; record {drawn.digest} (secret until publication)"
    )


@app.command("verify")
def verify_command(
    record_path: Annotated[Path, typer.Argument(metavar="RECORD", help="a draw record")],
    input_dir: Annotated[Path, typer.Option("--input", help="the city folder the draw read")],
    history: Annotated[
        list[Path] | None,
        typer.Option(
            "--history",
            help="the earlier records the record cites: its year's go to the target draw, all (earlier years "
            "too) to the inspector draw (rotation)",
        ),
    ] = None,
    plan_file: PlanFileOpt = None,
) -> None:
    """Recompute the draw from the inputs; exit 0 only if every byte of the record matches."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.ingest import load_city
    from spotcheck.solver.record import load_record
    from spotcheck.solver.verify import verify_file

    try:
        city = load_city(input_dir, plan_path=plan_file)
        record = verify_file(record_path, city, [load_record(p) for p in history or []])
    except (SpotcheckError, OSError) as exc:
        raise _fail(exc) from exc
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
        raise _fail(exc) from exc
    u = lottery_number(raw, code)
    typer.echo(f"{code}: lottery number {u} (u = {u}/2^64 ≈ {u / 2**64:.6f})")
    typer.echo("drawn by a task iff (number − offset) mod 2^64 < threshold, both in the record's strata")
    typer.echo("recompute it:\n" + recompute_snippet(raw.hex(), code))


PlanFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--plan-file", help="offline: the quarter's plan (default: plan.json in the --input folder)"
    ),
]


def _percent(fraction: str) -> str:
    from fractions import Fraction

    return f"{float(Fraction(fraction)) * 100:.2f}%"


@app.command("generate")
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
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.synth import generate_city

    def progress(message: str) -> None:
        typer.echo(f"  {message}", err=True)

    try:
        made = generate_city(
            out, firms=firms, seed=seed, officers=officers, year=year, quarter=quarter, progress=progress
        )
    except SpotcheckError as exc:
        raise _fail(exc) from exc
    for department, missing in made.staff.capacity_shortfall.items():
        typer.echo(f"warning: {department} officers' capacity is {missing} officer-visits short", err=True)
    typer.echo(
        f"{out}: {made.firms.firms:,} firms ({made.firms.enterprises:,} enterprises), "
        f"{len(made.staff.inspectors)} officers, {len(made.staff.conflicts)} conflicts; {made.outlook.summary()}"
    )


token_app = typer.Typer(
    help="API tokens: issue one (shown once; only its SHA-256 is stored).", no_args_is_help=True
)
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


def _assign_plan(plan: int, decisions: Path | None) -> dict[str, object]:
    """The database mode of `assign`: officers drawn on the frozen inputs, stored with the plan."""
    from spotcheck.services.inspection import run_assign
    from spotcheck.solver.assign_inputs import load_decisions

    chosen = None if decisions is None else load_decisions(decisions)
    return run_assign(_uow(), plan, actor=_actor(None), decisions=chosen, progress=_draw_progress)


@app.command("assign")
def assign_command(
    record_path: Annotated[
        Path | None, typer.Option("--record", help="offline: the quarter's draw record (targets drawn)")
    ] = None,
    input_dir: Annotated[
        Path | None, typer.Option("--input", help="offline: the city folder the draw read")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="offline: where to write the record with officers")
    ] = None,
    plan: Annotated[
        int | None, typer.Option("--plan", help="database: assign this drawn plan's visits")
    ] = None,
    history: Annotated[
        list[Path] | None,
        typer.Option(
            "--history", help="earlier quarters' records with officers, earlier years too (rotation)"
        ),
    ] = None,
    decisions: Annotated[
        Path | None, typer.Option("--decisions", help="planner decisions (docs/assign-spec.md §6)")
    ] = None,
    cap: Annotated[
        str | None, typer.Option("--cap", help="officer–firm probability cap, e.g. 1/2 (the default)")
    ] = None,
    max_pair: Annotated[
        int | None,
        typer.Option("--max-pair", min=1, help="most teams one pair of officers may staff together"),
    ] = None,
    plan_file: PlanFileOpt = None,
) -> None:
    """Draw every visit's officers (docs/assign-spec.md) and write the record with them."""
    from spotcheck.domain.errors import SpotcheckError
    from spotcheck.ingest import load_city
    from spotcheck.solver.assign_inputs import config_from_dict, load_decisions
    from spotcheck.solver.assign_record import attach_assignments
    from spotcheck.solver.record import dump_record, load_record

    def progress(stage: str, done: int, total: int) -> None:
        typer.echo(f"  {stage}: {done:,}/{total:,}", err=True)

    if plan is not None:
        stats = _quarter_step(lambda: _assign_plan(plan, decisions))
        typer.echo(
            f"plan {plan} assigned: {stats['teams_staffed']}/{stats['teams']} teams, {stats['seats']} seats"
        )
        return
    if record_path is None or input_dir is None or out is None:
        raise _fail(ValueError("offline assign needs --record, --input and --out (or use --plan)"))
    try:
        city = load_city(input_dir, plan_path=plan_file)
        record = attach_assignments(
            load_record(record_path),
            city,
            [load_record(p) for p in history or []],
            decisions=None if decisions is None else load_decisions(decisions),
            config=None
            if cap is None and max_pair is None
            else config_from_dict({"probability_cap": cap or "1/2", "max_pair_visits": max_pair}),
            progress=progress,
        )
        out.write_bytes(dump_record(record))
    except (SpotcheckError, OSError) as exc:
        raise _fail(exc) from exc
    section = record["assignment"]
    shown = 20  # the record lists them all ($.assignment.problems); the terminal shows the first ones
    for problem in section["problems"][:shown]:
        typer.echo(
            f"unstaffed: {problem['visit']} {problem['department']} ({problem['rule']}): {problem['fix']}",
            err=True,
        )
    if len(section["problems"]) > shown:
        typer.echo(f"... and {len(section['problems']) - shown} more in $.assignment.problems", err=True)
    for pair in section["pairs_over_cap"][:shown]:
        typer.echo(
            f"pair over cap: {' + '.join(pair['officers'])} together on {pair['together']} teams", err=True
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


# ---- the quarter on the database (issue 6): thin commands over spotcheck.services -------------------------


_ENGINES: list[Any] = []  # engines opened by _uow, closed when the step ends


def _uow() -> Any:
    from spotcheck.store import UnitOfWork, make_engine

    engine = make_engine(_database_url())
    _ENGINES.append(engine)
    return UnitOfWork(engine)


def _quarter_step(action: Callable[[], Any]) -> Any:
    """Run a use case; a spotcheck error is printed and exits with status 1. Connections are closed after."""
    from spotcheck.domain.errors import SpotcheckError

    try:
        return action()
    except SpotcheckError as exc:
        raise _fail(exc) from exc
    finally:
        while _ENGINES:
            _ENGINES.pop().dispose()


def _actor(actor: str | None) -> str:
    import getpass

    return actor or getpass.getuser()


ActorOpt = Annotated[str | None, typer.Option("--actor", help="who acts (recorded in the audit log)")]
PlanOpt = Annotated[int, typer.Option("--plan", help="plan id (spotcheck plan list)")]

plan_app = typer.Typer(
    help="The quarter's plan: create it from plan.json, list plans, show one.", no_args_is_help=True
)
app.add_typer(plan_app, name="plan")


@plan_app.command("create")
def plan_create(
    path: Annotated[Path, typer.Argument(help="plan.json (docs/formats.md)")], actor: ActorOpt = None
) -> None:
    """Store a draft plan, checked against the stored directories."""
    from spotcheck.ingest.city import read_plan
    from spotcheck.services.plans import create_plan

    plan_id = _quarter_step(lambda: create_plan(_uow(), read_plan(path), actor=_actor(actor)))
    typer.echo(
        f"plan {plan_id} created (draft); next: each department runs `spotcheck commit --plan {plan_id}`"
    )


@plan_app.command("list")
def plan_list() -> None:
    """Every plan with its quarter and state."""
    from spotcheck.services.plans import list_plans

    for status in _quarter_step(lambda: list_plans(_uow())):
        typer.echo(f"plan {status.id}: {status.year}Q{status.quarter} {status.state.value}")


@plan_app.command("show")
def plan_show(plan: PlanOpt) -> None:
    """A plan's state, ceremony and what is public about it."""
    from spotcheck.services.plans import plan_status
    from spotcheck.services.publication import public_view

    status = _quarter_step(lambda: plan_status(_uow(), plan))
    view = _quarter_step(lambda: public_view(_uow(), plan))
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


@app.command("commit")
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
    hashed = _quarter_step(lambda: commit_secret(_uow(), plan, department, chosen, actor=_actor(actor)))
    typer.echo(f"{department} committed: {hashed}")
    if secret is None:
        typer.echo(f"SECRET (keep it; it is not stored, you hand it in after the beacon): {chosen}")


@app.command("freeze")
def freeze_command(
    plan: PlanOpt,
    beacon_source: Annotated[
        str, typer.Option("--beacon-source", help="the beacon named now, e.g. a lottery draw and its number")
    ],
    beacon_date: Annotated[
        str, typer.Option("--beacon-date", help="YYYY-MM-DD its value is published (after the freeze)")
    ],
    on: Annotated[str | None, typer.Option("--on", help="freeze date YYYY-MM-DD (default: today)")] = None,
    actor: ActorOpt = None,
) -> None:
    """Fix every input of the draw, name the beacon, publish the snapshot digest and the system commitment."""
    from datetime import date

    from spotcheck.services.freeze import freeze

    day = date.fromisoformat(on) if on else date.today()
    named = date.fromisoformat(beacon_date)
    frozen = _quarter_step(
        lambda: freeze(
            _uow(),
            plan,
            actor=_actor(actor),
            frozen_on=day,
            beacon_source=beacon_source,
            beacon_date=named,
            progress=_draw_progress,
        )
    )
    typer.echo(f"plan {plan} frozen on {day}: snapshot digest {frozen.digest} ({frozen.firms:,} firms)")


@app.command("beacon")
def beacon_command(
    plan: PlanOpt,
    value: Annotated[str, typer.Option("--value", help="the public value, exactly as published")],
    source: Annotated[str, typer.Option("--source", help="where it was published")],
    actor: ActorOpt = None,
) -> None:
    """Enter the public beacon value after the freeze: the seed is now fixed (and still secret)."""
    from spotcheck.services.seeding import enter_beacon

    _quarter_step(lambda: enter_beacon(_uow(), plan, value, source=source, actor=_actor(actor)))
    typer.echo(f"plan {plan} seeded; next: each department runs `spotcheck handin --plan {plan}`, then draw")


@app.command("handin")
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
        raise _fail(exc) from exc
    _quarter_step(
        lambda: hand_in(_uow(), plan, department, secret, actor=f"{_actor(actor)} for {department}")
    )
    typer.echo(f"{department} handed in its secret for plan {plan} (sealed until publication)")


@app.command("reveal")
def reveal_command(
    plan: PlanOpt,
    department: Annotated[str, typer.Option("--department")],
    secret: Annotated[str, typer.Option("--secret", help="the secret committed to")],
    actor: ActorOpt = None,
) -> None:
    """Reveal a department's secret after the inspections (plans drawn under ceremony version 1; a version-2
    secret was handed in before the draw and is published with the record)."""
    from spotcheck.services.seeding import reveal

    _quarter_step(lambda: reveal(_uow(), plan, department, secret, actor=_actor(actor)))
    typer.echo(f"{department} revealed for plan {plan}")


inspection_app = typer.Typer(
    help="The inspection period: start it (windows), close it.", no_args_is_help=True
)
app.add_typer(inspection_app, name="inspection")


@inspection_app.command("start")
def inspection_start(
    plan: PlanOpt,
    begin: Annotated[str, typer.Option("--begin", help="YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--end", help="YYYY-MM-DD: the end of the check (publication clock)")],
    actor: ActorOpt = None,
) -> None:
    """Hand out the assignments: every visit gets the inspection window."""
    from datetime import date

    from spotcheck.services.inspection import start_inspection

    b, e = date.fromisoformat(begin), date.fromisoformat(end)
    _quarter_step(lambda: start_inspection(_uow(), plan, begin=b, end=e, actor=_actor(actor)))
    typer.echo(f"plan {plan} in inspection from {b} to {e}")


@inspection_app.command("close")
def inspection_close(plan: PlanOpt, actor: ActorOpt = None) -> None:
    """End the inspection period: departments may now reveal their secrets."""
    from spotcheck.services.inspection import close_inspection

    _quarter_step(lambda: close_inspection(_uow(), plan, actor=_actor(actor)))
    typer.echo(f"plan {plan} closed; results and reveals next")


@app.command("redraw")
def redraw_command(
    plan: PlanOpt,
    visit: Annotated[str, typer.Option("--visit")],
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
            raise _fail(ValueError("--department is required with --officer"))
        chosen = _quarter_step(
            lambda: redraw_officer(
                _uow(), plan, visit, department, officer, reason=reason, actor=_actor(actor)
            )
        )
        typer.echo(f"{officer} replaced by {chosen} on {visit} ({department})")
    else:
        chosen = _quarter_step(lambda: redraw_firm(_uow(), plan, visit, reason=reason, actor=_actor(actor)))
        typer.echo(f"{visit} kept on record; replacement visit {chosen}")


@app.command("result")
def result_command(
    plan: PlanOpt,
    visit: Annotated[str, typer.Option("--visit")],
    department: Annotated[str, typer.Option("--department", help="the department whose result this is")],
    category: Annotated[str, typer.Option("--category", help="code or Chinese label (docs/operations.md)")],
    findings: Annotated[str, typer.Option("--findings")] = "",
    as_department: Annotated[
        str | None, typer.Option("--as", help="the recording officer's department (default: --department)")
    ] = None,
    actor: ActorOpt = None,
) -> None:
    """Record a department's own result for its items on a visit (谁检查、谁录入)."""
    from spotcheck.services.results import record_result

    version = _quarter_step(
        lambda: record_result(_uow(), plan, visit, department, category, findings,
                              actor_department=as_department or department, actor=_actor(actor))
    )  # fmt: skip
    typer.echo(f"{visit} {department}: version {version}, 待审核 (pending review)")


@app.command("review")
def review_command(
    plan: PlanOpt,
    visit: Annotated[str, typer.Option("--visit")],
    department: Annotated[str, typer.Option("--department")],
    approve: Annotated[bool, typer.Option("--approve/--return", help="approve, or send back with --reason")],
    reason: Annotated[str, typer.Option("--reason")] = "",
    actor: ActorOpt = None,
) -> None:
    """Approve a pending result or return it with a reason."""
    from spotcheck.services.results import review

    state = _quarter_step(
        lambda: review(_uow(), plan, visit, department, approve=approve, reason=reason, actor=_actor(actor))
    )
    typer.echo(f"{visit} {department}: {state.label_zh} ({state.value})")


@app.command("deadlines")
def deadlines_command(
    plan: PlanOpt,
    today: Annotated[str | None, typer.Option("--today", help="YYYY-MM-DD (default: today)")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="only results past their deadline")] = False,
    holidays: Annotated[
        Path | None,
        typer.Option("--holidays", help="folder of YYYY.csv holiday files (default data/holidays)"),
    ] = None,
) -> None:
    """Unpublished results with their due date (20 official working days after the end of the check)."""
    from datetime import date

    from spotcheck.domain.calendar import WorkCalendar
    from spotcheck.services.results import deadlines

    day = date.fromisoformat(today) if today else date.today()
    cal = _quarter_step(lambda: WorkCalendar.from_directory(holidays))
    rows = _quarter_step(lambda: deadlines(_uow(), plan, today=day, calendar=cal, only_overdue=overdue))
    for r in rows:
        due = "no end date yet" if r.due is None else str(r.due)
        typer.echo(f"{'OVERDUE ' if r.overdue else ''}{r.visit} {r.department} {r.state.label_zh}: due {due}")
    typer.echo(f"{len(rows)} result(s){' overdue' if overdue else ' unpublished'} on {day}")


@app.command("publish")
def publish_command(plan: PlanOpt, actor: ActorOpt = None) -> None:
    """Publish the quarter: visits, results, the record with the reveals, the audit head (一公开)."""
    from spotcheck.services.publication import publish

    done = _quarter_step(lambda: publish(_uow(), plan, actor=_actor(actor)))
    typer.echo(f"plan {plan} published: {done['results']} results, record {done['record']}")
    typer.echo(f"audit head: {done['audit_head']}")


audit_app = typer.Typer(help="The hash-chained audit log: verify it, print its head.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    published: Annotated[
        str | None, typer.Option("--head", help="a published head that must be in the log")
    ] = None,
) -> None:
    """Recompute every entry's hash; name the first changed, removed or reordered entry."""
    from spotcheck.services.publication import verify_audit

    head, entries = _quarter_step(lambda: verify_audit(_uow(), published=published))
    typer.echo(f"audit log intact: {entries} entries, head {head}")


@audit_app.command("plan")
def audit_plan(plan: PlanOpt) -> None:
    """Recompute a published plan from its frozen snapshot: draw, ceremony, officers, and the audit chain."""
    from spotcheck.services.publication import verify_plan

    done = _quarter_step(lambda: verify_plan(_uow(), plan))
    typer.echo(
        f"plan {plan} verified: record {done['record']} ({done['visits']} visits) reproduced byte for byte, "
        f"ceremony checked; audit log intact ({done['entries']} entries, head {done['audit_head']})"
    )


@audit_app.command("head")
def audit_head() -> None:
    """Print the audit log's head hash."""
    from spotcheck.services.publication import verify_audit

    head, entries = _quarter_step(lambda: verify_audit(_uow()))
    typer.echo(f"{head} ({entries} entries)")


@app.command("demo")
def demo_command(
    firms: Annotated[int, typer.Option("--firms", help="size of the synthetic city")] = 20_000,
    city: Annotated[Path, typer.Option("--city", help="where the synthetic city is written")] = Path(
        "data/demo-city"
    ),
    quarters: Annotated[
        int, typer.Option("--quarters", min=1, max=4, help="run quarters 1..N of the plan's year")
    ] = 4,
) -> None:
    """The whole year on the synthetic city, quarter by quarter: generate, import, plan, ceremony, draw, assign,
    simulated results, review, publish; then the year's coverage and joint share against the targets. A rerun
    resumes each quarter from its state, or just reports."""
    from spotcheck.services.demo import report_lines, run_demo

    report = _quarter_step(
        lambda: run_demo(_database_url(), city, firms=firms, quarters=quarters, say=typer.echo)
    )
    typer.echo("\n".join(report_lines(report)))


if __name__ == "__main__":
    main()
