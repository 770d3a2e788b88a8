"""What an account must be, and how sign-in failures slow an attacker down."""

from __future__ import annotations

from spotcheck.domain.accounts import ACCOUNT_THROTTLE, Throttle, account_problems, lockout

GOOD = "a long enough password"


def test_each_role_names_what_it_must() -> None:
    assert account_problems("lead", "lead", department="SCJG", officer=None, password=GOOD) == []
    assert account_problems("x", "department", department="XF", officer=None, password=GOOD)  # name too short
    assert account_problems("xf", "department", department=None, officer=None, password=GOOD) == [
        "a department account names its department"
    ]
    assert account_problems("xf002", "inspector", department=None, officer=None, password=GOOD) == [
        "an inspector account names exactly one officer"
    ]
    assert account_problems("credit", "credit", department=None, officer=None, password=None) == []
    assert account_problems("credit", "credit", department=None, officer=None, password=GOOD)
    assert account_problems("xf", "department", department="XF", officer=None, password="short")
    assert account_problems("Root", "root", department=None, officer=None, password=GOOD)


def test_lockout_doubles_from_the_threshold_and_is_capped() -> None:
    policy = Throttle(threshold=3, base=10, cap=60)
    assert [lockout(n, policy) for n in range(1, 8)] == [0, 0, 10, 20, 40, 60, 60]
    assert lockout(ACCOUNT_THROTTLE.threshold - 1, ACCOUNT_THROTTLE) == 0
