"""Draw, assign, verify and lottery: the draw from files, anyone can rerun it (docs/draw-spec.md,
docs/assign-spec.md). ``draw`` and ``assign`` also run a stored plan on the database (``--plan``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from spotcheck.cli.shared import (
    CapOpt,
    MaxPairOpt,
    PlanFileOpt,
    UnstaffableOpt,
    UowFactory,
    draw_progress,
    exits_on_error,
    fail,
    fraction,
    frozen_options,
    percent,
    read_progress,
    run,
    who,
)

__all__ = ["assign_command", "draw_command", "lottery_command", "verify_command"]

SHOWN = 20  # the record lists every problem ($.assignment.problems); the terminal shows the first ones

# Options draw, assign and verify share: the files a record is computed from and written to, or instead the
# stored plan on the database (docs/draw-spec.md §1, docs/assign-spec.md §3).
InputOpt = Annotated[Path | None, typer.Option("--input", help="offline: the city folder (docs/formats.md)")]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="offline: where to write the record (canonical JSON)")
]
HistoryOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--history",
        help="the earlier records the quarter cites: its year's earlier quarters go to the target draw; all, "
        "earlier years' records with officers too, to the inspector draw (rotation)",
    ),
]
StoredPlanOpt = Annotated[
    int | None, typer.Option("--plan", help="database: run this stored plan's step instead of the files")
]


def draw_command(
    input_dir: InputOpt = None,
    year: Annotated[int | None, typer.Option("--year")] = None,
    quarter: Annotated[int | None, typer.Option("--quarter", min=1, max=4)] = None,
    seed: Annotated[
        str | None, typer.Option("--seed", help="hex; a bare seed is recorded as a simulation seed")
    ] = None,
    out: OutOpt = None,
    history: HistoryOpt = None,
    plan_file: PlanFileOpt = None,
    plan: StoredPlanOpt = None,
    cap: CapOpt = None,
    max_pair: MaxPairOpt = None,
    unstaffable: UnstaffableOpt = None,
) -> None:
    """Draw the quarter's targets (docs/draw-spec.md): offline (--input … --out) or on the database (--plan).
    Offline, the draw is also the freeze: the inspector draw's options are fixed here (assign-spec §8)."""
    from spotcheck.ingest import load_city
    from spotcheck.solver.draw.quarter import draw_quarter
    from spotcheck.solver.draw.record import dump_record, load_record
    from spotcheck.solver.draw.snapshot_check import split_history

    if plan is not None:
        _draw_plan(plan)
        return
    if input_dir is None or year is None or quarter is None or seed is None or out is None:
        raise fail(
            ValueError("offline draw needs --input, --year, --quarter, --seed and --out (or use --plan)")
        )
    with exits_on_error(OSError):
        city = load_city(input_dir, plan_path=plan_file, progress=read_progress)
        past, rotation = split_history(year, [load_record(p) for p in history or []])
        record = draw_quarter(
            city,
            year=year,
            quarter=quarter,
            seed=seed,
            history=past,
            rotation=rotation,
            options=frozen_options(cap, max_pair, unstaffable),
            progress=draw_progress,
        )
        out.write_bytes(dump_record(record))
    for warning in record["plan"]["coordination"].get("warnings", []):
        typer.echo(f"warning: {warning}", err=True)
    q, ytd = record["summary"]["quarter"], record["summary"]["year_to_date"]
    typer.echo(
        f"{out}: {q['visits']} visits, {q['joint_visits']} joint; year to date coverage "
        f"{percent(ytd['coverage'])}, joint share {percent(ytd['joint_share'])}"
    )


def _draw_plan(plan: int) -> None:
    """The database mode of `draw`: the ceremony's seed from the secrets the departments handed in (none is given
    here), one transaction (spotcheck.services)."""
    from spotcheck.services.draws import run_draw

    drawn = run(lambda uow: run_draw(uow(), plan, actor=who(None), progress=draw_progress))
    q = drawn.summary["quarter"]
    typer.echo(
        f"plan {plan} drawn: {drawn.visits} visits, {drawn.joint_visits} joint, coverage this quarter "
        f"{percent(q['coverage'])}; record {drawn.digest} (secret until publication)"
    )


def verify_command(
    record_path: Annotated[Path, typer.Argument(metavar="RECORD", help="a draw record")],
    input_dir: Annotated[Path, typer.Option("--input", help="the city folder the draw read")],
    history: HistoryOpt = None,
    plan_file: PlanFileOpt = None,
) -> None:
    """Recompute the draw from the inputs; exit 0 only if every byte of the record matches."""
    from spotcheck.ingest import load_city
    from spotcheck.solver.draw.record import load_record
    from spotcheck.solver.verify import verify_file

    with exits_on_error(OSError):
        city = load_city(input_dir, plan_path=plan_file, progress=read_progress)
        record = verify_file(record_path, city, [load_record(p) for p in history or []])
    typer.echo(f"{record_path}: verified, {len(record['visits'])} visits reproduced byte for byte")


def lottery_command(
    seed: Annotated[str, typer.Option("--seed", help="the draw's seed (hex), from the record")],
    uscc: Annotated[str, typer.Option("--uscc", help="the firm's credit code")],
) -> None:
    """Print a firm's lottery number and how to recompute it with standard-library Python."""
    from spotcheck.domain.uscc import normalise
    from spotcheck.solver.draw.prn import lottery_number, parse_seed, recompute_snippet

    with exits_on_error():
        raw, code = parse_seed(seed), normalise(uscc)[0]
    u = lottery_number(raw, code)
    typer.echo(f"{code}: lottery number {u} (u = {u}/2^64 ≈ {u / 2**64:.6f})")
    typer.echo("drawn by a task iff (number − offset) mod 2^64 < threshold, both in the record's strata")
    typer.echo("recompute it:\n" + recompute_snippet(raw.hex(), code))


def assign_command(
    input_dir: InputOpt = None,
    out: OutOpt = None,
    plan: StoredPlanOpt = None,
    record_path: Annotated[
        Path | None, typer.Option("--record", help="offline: the quarter's draw record (targets drawn)")
    ] = None,
    history: HistoryOpt = None,
    cap: CapOpt = None,
    decisions: Annotated[
        Path | None, typer.Option("--decisions", help="planner decisions (docs/assign-spec.md §6)")
    ] = None,
    max_pair: MaxPairOpt = None,
    plan_file: PlanFileOpt = None,
) -> None:
    """Draw every visit's officers (docs/assign-spec.md) and write the record with them. The options were fixed
    at the freeze (offline: the draw); --cap or --max-pair given must equal the frozen ones."""
    from spotcheck.ingest import load_city
    from spotcheck.solver.assign.defer import attach_deferring
    from spotcheck.solver.assign.inputs import decisions_from_dict, load_decisions
    from spotcheck.solver.assign.options import refuse_other
    from spotcheck.solver.draw.record import dump_record, load_record
    from spotcheck.solver.draw.snapshot_check import frozen_options as recorded_options

    def progress(stage: str, done: int, total: int) -> None:
        typer.echo(f"  {stage}: {done:,}/{total:,}", err=True)

    if plan is not None:
        _assign_plan(plan, decisions, cap, max_pair)
        return
    if record_path is None or input_dir is None or out is None:
        raise fail(ValueError("offline assign needs --record, --input and --out (or use --plan)"))
    with exits_on_error(OSError):
        city = load_city(input_dir, plan_path=plan_file, progress=read_progress)
        drawn = load_record(record_path)
        chosen = frozen_options(cap, max_pair, None)
        if isinstance(drawn.get("snapshot"), dict):  # a draw record: its options were fixed at the draw
            chosen = recorded_options(drawn)
            given = {"probability_cap": None if cap is None else fraction(cap), "max_pair_visits": max_pair}
            refuse_other(chosen, {name: value for name, value in given.items() if value is not None})
        earlier = drawn.get("assignment", {}).get("decisions", [])
        record = attach_deferring(
            drawn,
            city,
            [load_record(p) for p in history or []],
            decisions=load_decisions(decisions) if decisions else decisions_from_dict(earlier),
            by=who(None),
            defer=chosen.defer_unstaffable,
            config=chosen.config,
            progress=progress,
        )
        out.write_bytes(dump_record(record))
    _show_assignment(record["assignment"], out)


def _assign_plan(plan: int, decisions: Path | None, cap: str | None, max_pair: int | None) -> None:
    """The database mode of `assign`: officers drawn on the frozen inputs and options, stored with the plan;
    --cap or --max-pair given must equal the frozen ones."""
    from spotcheck.services.inspection import run_assign
    from spotcheck.solver.assign.inputs import load_decisions

    def assign(uow: UowFactory) -> dict[str, Any]:
        chosen = None if decisions is None else load_decisions(decisions)
        return run_assign(
            uow(),
            plan,
            actor=who(None),
            decisions=chosen,
            probability_cap=None if cap is None else fraction(cap),
            max_pair_visits=max_pair,
            progress=draw_progress,
        )

    stats = run(assign)
    typer.echo(
        f"plan {plan} assigned: {stats['teams_staffed']}/{stats['teams']} teams, {stats['seats']} seats"
    )


def _show_assignment(section: dict[str, Any], out: Path) -> None:
    """The record's assignment section: problems, pairs over the cap and caps that cannot hold on stderr, then
    the staffing totals."""
    for problem in section["problems"][:SHOWN]:
        typer.echo(
            f"unstaffed: {problem['visit']} {problem['department']} ({problem['rule']}): {problem['fix']}",
            err=True,
        )
    if len(section["problems"]) > SHOWN:
        typer.echo(f"... and {len(section['problems']) - SHOWN} more in $.assignment.problems", err=True)
    for pair in section["pairs_over_cap"][:SHOWN]:
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
