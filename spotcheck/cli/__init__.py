"""The command line: thin — parse, call a use case, print. `spotcheck --help` lists the steps of a quarter.

One module per command group; this module assembles them (in the order `--help` lists them):

    offline     draw, verify, lottery, assign       records from files (draw and assign also --plan ID)
    directory   import, generate                    the city's files
    admin       db upgrade|current, token create, serve
    quarter     plan create|list|show, commit, freeze, beacon, reveal, publish
    inspection  inspection start|close, redraw, result, review, deadlines
    audit       audit verify|plan|head
    demo        demo                                the whole year on the synthetic city

Every command that touches the database opens it through ``spotcheck.bootstrap`` (``shared.run``) and ends a
spotcheck error with ``shared.fail``: the message and status 1.
"""

from __future__ import annotations

import typer

from spotcheck.cli import admin, audit, demo, directory, inspection, offline, quarter

__all__ = ["app", "main"]

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


def _group(name: str, help_text: str) -> typer.Typer:
    group = typer.Typer(help=help_text, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


db_app = _group("db", "The database: run migrations, show the schema revision.")
db_app.command("upgrade")(admin.db_upgrade)
db_app.command("current")(admin.db_current)
app.command("import")(directory.import_command)
app.command("draw")(offline.draw_command)
app.command("verify")(offline.verify_command)
app.command("lottery")(offline.lottery_command)
app.command("generate")(directory.generate_command)
token_app = _group("token", "API tokens: issue one (shown once; only its SHA-256 is stored).")
token_app.command("create")(admin.token_create)
app.command("serve")(admin.serve_command)
app.command("assign")(offline.assign_command)
plan_app = _group("plan", "The quarter's plan: create it from plan.json, list plans, show one.")
plan_app.command("create")(quarter.plan_create)
plan_app.command("list")(quarter.plan_list)
plan_app.command("show")(quarter.plan_show)
app.command("commit")(quarter.commit_command)
app.command("freeze")(quarter.freeze_command)
app.command("beacon")(quarter.beacon_command)
app.command("reveal")(quarter.reveal_command)
inspection_app = _group("inspection", "The inspection period: start it (windows), close it.")
inspection_app.command("start")(inspection.inspection_start)
inspection_app.command("close")(inspection.inspection_close)
app.command("redraw")(inspection.redraw_command)
app.command("result")(inspection.result_command)
app.command("review")(inspection.review_command)
app.command("deadlines")(inspection.deadlines_command)
app.command("publish")(quarter.publish_command)
audit_app = _group("audit", "The hash-chained audit log: verify it, print its head.")
audit_app.command("verify")(audit.audit_verify)
audit_app.command("plan")(audit.audit_plan)
audit_app.command("head")(audit.audit_head)
app.command("demo")(demo.demo_command)
