"""The demo's accounts, so that a new user can sign in after ``make run`` (docs/operations.md "Accounts"): the
lead regulator (the market regulation bureau, SCJG, when the city has it), one regulator per other department,
and a few inspectors, each with a random password returned once. Accounts that exist already are left alone
(a rerun prints no password for them)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from spotcheck.services.accounts import create_user
from spotcheck.store.uow import UnitOfWork

__all__ = ["DemoAccount", "demo_accounts"]

LEAD_DEPARTMENT = "SCJG"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    of: str  # the department or the officer
    password: str


def demo_accounts(
    uow: Callable[[], UnitOfWork], *, inspectors: int = 3, actor: str = "demo"
) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; their passwords, once."""
    with uow() as u:
        departments = sorted(row.code for row in u.directory.all("departments"))
        officers = sorted(row.id for row in u.directory.all("inspectors") if row.active)[:inspectors]
        taken = {row.username for row in u.users.all()}
    lead = LEAD_DEPARTMENT if LEAD_DEPARTMENT in departments else departments[0] if departments else None
    wanted: list[tuple[str, str, str]] = []
    if lead is not None:
        wanted.append(("lead", "lead", lead))
    wanted += [(d.lower(), "department", d) for d in departments if d != lead]
    wanted += [(o.lower(), "inspector", o) for o in officers]
    made = []
    for username, role, of in wanted:
        if username in taken:
            continue
        password = secrets.token_urlsafe(12)
        where = {"officer": of} if role == "inspector" else {"department": of}
        create_user(uow(), username, role, password=password, actor=actor, display_name=username, **where)
        made.append(DemoAccount(username, role, of, password))
    return made
