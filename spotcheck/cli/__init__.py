"""The command line: thin — parse, call a use case, print. `spotcheck --help` lists the steps of a quarter.

One module per command group; this module assembles them (in the order `--help` lists them):

    offline     draw, verify, lottery, assign       records from files (draw and assign also --plan ID)
    directory   import, generate                    the city's files
    admin       db upgrade|current, serve
    accounts    user create|disable|list, token create|list|revoke
    quarter     plan create|list|show, commit, freeze, beacon, reveal, publish, correct
    inspection  inspection start|close, redraw, result, review, deadlines
    audit       audit verify|plan|head
    demo        demo                                the whole year on the synthetic city

Every command that touches the database opens it through ``spotcheck.bootstrap`` (``shared.run``) and ends a
spotcheck error with ``shared.fail``: the message and status 1.
"""

from __future__ import annotations

from collections.abc import Callable

import typer

from spotcheck.cli import accounts, admin, audit, demo, directory, inspection, offline, quarter

__all__ = ["COMMANDS", "GROUPS", "app", "main"]

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


# Commands in the order `--help` lists them (Typer lists the top-level commands first, then the groups).
COMMANDS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("import", directory.import_command), ("draw", offline.draw_command), ("verify", offline.verify_command),
    ("lottery", offline.lottery_command), ("generate", directory.generate_command),
    ("serve", admin.serve_command), ("assign", offline.assign_command), ("commit", quarter.commit_command),
    ("freeze", quarter.freeze_command), ("beacon", quarter.beacon_command), ("handin", quarter.handin_command),
    ("reveal", quarter.reveal_command),
    ("redraw", inspection.redraw_command), ("result", inspection.result_command),
    ("review", inspection.review_command), ("deadlines", inspection.deadlines_command),
    ("publish", quarter.publish_command), ("correct", quarter.correct_command), ("demo", demo.demo_command),
)  # fmt: skip
GROUPS: tuple[tuple[str, str, tuple[tuple[str, Callable[..., None]], ...]], ...] = (
    ("db", "The database: run migrations, show the schema revision.",
     (("upgrade", admin.db_upgrade), ("current", admin.db_current))),
    ("user", "Accounts: create one (a role, its department or officer), disable one, list them.",
     (("create", accounts.user_create), ("disable", accounts.user_disable), ("list", accounts.user_list))),
    ("token", "API tokens for an account: issue one (shown once; only its SHA-256 is stored), list, revoke.",
     (("create", accounts.token_create), ("list", accounts.token_list), ("revoke", accounts.token_revoke))),
    ("plan", "The quarter's plan: create it from plan.json, list plans, show one.",
     (("create", quarter.plan_create), ("list", quarter.plan_list), ("show", quarter.plan_show))),
    ("inspection", "The inspection period: start it (windows), close it.",
     (("start", inspection.inspection_start), ("close", inspection.inspection_close))),
    ("audit", "The hash-chained audit log: verify it, print its head.",
     (("verify", audit.audit_verify), ("plan", audit.audit_plan), ("head", audit.audit_head))),
)  # fmt: skip

for _name, _command in COMMANDS:
    app.command(_name)(_command)
for _name, _help, _commands in GROUPS:
    _group = typer.Typer(help=_help, no_args_is_help=True)
    for _sub, _command in _commands:
        _group.command(_sub)(_command)
    app.add_typer(_group, name=_name)
