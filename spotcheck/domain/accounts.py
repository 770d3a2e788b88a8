"""What an account must be, and how sign-in failures slow an attacker down (docs/api.md "Accounts, sign-in and
tokens"). Pure: the use cases (``spotcheck.services.accounts``, ``spotcheck.services.signin``) read the rows and
the clock, and ask these rules.

    account_problems(username, role, department, officer, password) -> list[str]     [] when acceptable
    lockout(failures, policy) -> seconds                                              0 below the threshold

An account has exactly one role. A lead or department regulator names its department; an inspector names exactly
one officer (whose department it then acts for); the credit system names neither and never signs in with a
password (``PERSON_ROLES``).

Throttling: each failure in a window counts against the account and against the address it came from; from the
``threshold``-th failure on, further attempts wait ``base * 2**(failures - threshold)`` seconds (capped), the same
for a wrong password and an unknown username, so that neither reveals which accounts exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spotcheck.domain.access import PERSON_ROLES, Role

__all__ = [
    "MIN_PASSWORD",
    "USERNAME",
    "Throttle",
    "account_problems",
    "lockout",
]

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")  # lower case, so that "Alice" and "alice" are one
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # argon2 reads it all: bound what a client can make the server hash


def account_problems(
    username: str, role: str, *, department: str | None, officer: str | None, password: str | None
) -> list[str]:
    """Every reason the account cannot be created as given ([] when it can). Whether the department and the
    officer exist is the store's to say."""
    problems: list[str] = []
    if not USERNAME.match(username):
        problems.append(
            "username: 2-40 characters a-z, 0-9, '.', '_' or '-', starting with a letter or digit"
        )
    if role not in Role.__members__.values():
        problems.append(f"role must be one of {', '.join(r.value for r in Role)}, not {role!r}")
        return problems
    kind = Role(role)
    if kind in (Role.LEAD, Role.DEPARTMENT) and not department:
        problems.append(f"a {kind.value} account names its department")
    if kind is Role.INSPECTOR and not officer:
        problems.append("an inspector account names exactly one officer")
    if kind is not Role.INSPECTOR and officer:
        problems.append(f"a {kind.value} account names no officer")
    if kind in (Role.INSPECTOR, Role.CREDIT) and department:
        problems.append(f"a {kind.value} account names no department (an inspector's is its officer's)")
    if kind in PERSON_ROLES:
        if password is None or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            problems.append(f"password: {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    elif password:
        problems.append("the credit system signs in with API tokens only, never a password")
    return problems


@dataclass(frozen=True)
class Throttle:
    """Failures count within ``window`` seconds; from ``threshold`` on, an attempt must wait."""

    threshold: int = 5
    window: int = 15 * 60
    base: int = 30  # seconds after the threshold-th failure, doubling with each further one
    cap: int = 3600


ACCOUNT_THROTTLE = Throttle()
ADDRESS_THROTTLE = Throttle(threshold=20)  # one address may serve many people (a shared office gateway)


def lockout(failures: int, policy: Throttle) -> int:
    """Seconds to refuse sign-in after ``failures`` failures in the window."""
    if failures < policy.threshold:
        return 0
    return int(min(policy.cap, policy.base * 2 ** min(failures - policy.threshold, 20)))
