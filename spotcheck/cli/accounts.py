"""Accounts and API tokens (docs/api.md "Accounts, sign-in and tokens").

    spotcheck user create NAME --role lead|department|inspector|credit [--department D] [--officer O]
                          [--password-file F]     (else the password is asked twice, never echoed)
    spotcheck user disable NAME · spotcheck user list
    spotcheck token create --user NAME [--days 90] [--name TEXT]   prints the token once
    spotcheck token list [--user NAME] · spotcheck token revoke ID

A password is never an argument (it would stay in the shell's history and the process list). The audit log names
the operator's account (``--actor``, ``shared.who``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from spotcheck.cli.shared import ActorOpt, fail, run, who

__all__ = ["token_create", "token_list", "token_revoke", "user_create", "user_disable", "user_list"]


def _now() -> datetime:
    from spotcheck.store.base import utcnow

    return utcnow()


def _password(path: Path | None) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


def user_create(
    username: Annotated[str, typer.Argument(help="the sign-in name (a-z, 0-9, . _ -)")],
    role: Annotated[str, typer.Option(help="lead | department | inspector | credit")],
    department: Annotated[str | None, typer.Option(help="a regulator's department code")] = None,
    officer: Annotated[str | None, typer.Option(help="an inspector's officer id")] = None,
    display_name: Annotated[str, typer.Option("--name", help="the person's name as shown")] = "",
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="read the password from this file")
    ] = None,
    actor: ActorOpt = None,
) -> None:
    """Create an account (its department or officer must exist); the credit system gets no password."""
    from spotcheck.services.accounts import create_user

    password = None if role == "credit" else _password(password_file)
    acting = who(actor)
    made = run(
        lambda uow: create_user(
            uow(), username, role, password=password, actor=acting, display_name=display_name,
            department=department, officer=officer,
        )
    )  # fmt: skip
    typer.echo(
        f"account #{made.id} {made.username}: {made.role} {made.department or made.officer or ''}".rstrip()
    )


def user_disable(username: Annotated[str, typer.Argument()], actor: ActorOpt = None) -> None:
    """Disable an account: its sessions end and its tokens are revoked at once."""
    from spotcheck.services.accounts import disable_user

    acting = who(actor)
    done = run(lambda uow: disable_user(uow(), username, actor=acting, now=_now()))
    typer.echo(f"account {done.username} disabled; its sessions and tokens are ended")


def user_list() -> None:
    """Every account: id, username, role, department or officer, disabled."""
    from spotcheck.services.accounts import list_users

    for a in run(lambda uow: list_users(uow())):
        where = a.department or a.officer or "-"
        typer.echo(f"{a.id}\t{a.username}\t{a.role}\t{where}\t{'disabled' if a.disabled else 'enabled'}")


def token_create(
    user: Annotated[str, typer.Option("--user", help="the account the token acts as (must exist)")],
    days: Annotated[
        int | None, typer.Option(help="days until it expires (default: SPOTCHECK_TOKEN_DAYS, 90)")
    ] = None,
    name: Annotated[str, typer.Option(help="what the token is for")] = "",
    actor: ActorOpt = None,
) -> None:
    """Issue an API token for an existing account and print it once (only its SHA-256 is stored)."""
    from spotcheck.config import get_settings
    from spotcheck.services.accounts import issue_token

    acting = who(actor)
    lifetime = days if days is not None else get_settings().token_days
    made = run(lambda uow: issue_token(uow(), user, actor=acting, now=_now(), days=lifetime, name=name))
    typer.echo(
        f"token #{made.id} for {made.username}, expires {made.expires:%Y-%m-%d %H:%M} UTC "
        "(shown once, keep it safe):",
        err=True,
    )
    typer.echo(made.token)


def token_list(
    user: Annotated[str | None, typer.Option("--user", help="only this account's")] = None,
) -> None:
    """Every token (never the token itself): id, account, role, name, created, expires, state."""
    from spotcheck.services.accounts import list_tokens

    now = _now()
    for t in run(lambda uow: list_tokens(uow(), user)):
        state = "revoked" if t.revoked else "expired" if t.expires and t.expires <= now else "active"
        expires = f"{t.expires:%Y-%m-%d}" if t.expires else "-"
        typer.echo(
            f"{t.id}\t{t.username}\t{t.role}\t{t.name or '-'}\t{t.created:%Y-%m-%d}\t{expires}\t{state}"
        )


def token_revoke(token_id: Annotated[int, typer.Argument(help="the token's id (spotcheck token list)")],
                 actor: ActorOpt = None) -> None:  # fmt: skip
    """Revoke a token: it is refused from the next request on."""
    from spotcheck.services.accounts import revoke_token

    if token_id < 1:
        raise fail(ValueError("a token id is a positive number"))
    acting = who(actor)
    run(lambda uow: revoke_token(uow(), token_id, actor=acting, now=_now()))
    typer.echo(f"token #{token_id} revoked")
