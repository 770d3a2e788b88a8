"""Who may do what: roles hold permissions, and a scope binds an act to a department or an officer."""

from __future__ import annotations

import pytest

from spotcheck.domain.access import (
    GRANTS,
    Permission,
    Role,
    Scope,
    allowed,
    check,
    principal,
)
from spotcheck.domain.errors import Forbidden

REGULATOR = principal(Role.DEPARTMENT, "scjg-reviewer", department="SCJG")
LEAD = principal(Role.LEAD, "lead", department="SCJG", user_id=1)
OFFICER = principal(Role.INSPECTOR, "xf002", officer="XF-002", officer_department="XF")
RETIRED = principal(Role.INSPECTOR, "xf009", officer="XF-009")  # not an active inspector: no department
CREDIT = principal(Role.CREDIT, "provincial-credit")
LEAD_ONLY = (
    Permission.PLAN_WRITE,
    Permission.FREEZE,
    Permission.BEACON,
    Permission.DRAW,
    Permission.ASSIGN,
    Permission.INSPECTION,
    Permission.PUBLISH,
)


def test_every_permission_is_held_by_some_role() -> None:
    held = set().union(*GRANTS.values())
    assert held == set(Permission)


def test_a_regulator_acts_for_its_own_department_only() -> None:
    assert REGULATOR.department == "SCJG" and REGULATOR.officer is None
    assert allowed(REGULATOR, Permission.CEREMONY_COMMIT, Scope(department="SCJG"))
    assert not allowed(REGULATOR, Permission.CEREMONY_COMMIT, Scope(department="XF"))
    with pytest.raises(Forbidden, match="SCJG account may not act for XF"):
        check(REGULATOR, Permission.CEREMONY_COMMIT, Scope(department="XF"))


def test_roles_never_borrow_each_others_permissions() -> None:
    assert not allowed(REGULATOR, Permission.RESULT_RECORD)
    assert not allowed(OFFICER, Permission.PUBLISH)
    assert not allowed(CREDIT, Permission.PLAN_READ)
    assert allowed(CREDIT, Permission.FEED_READ) and allowed(CREDIT, Permission.TIERS_PUSH)


def test_an_officer_records_for_their_own_department_and_self() -> None:
    assert OFFICER.department == "XF" and OFFICER.officer == "XF-002"
    assert allowed(OFFICER, Permission.RESULT_RECORD, Scope(department="XF", officer="XF-002"))
    assert not allowed(OFFICER, Permission.RESULT_RECORD, Scope(department="SCJG"))
    assert not allowed(OFFICER, Permission.ASSIGNMENT_READ, Scope(officer="XF-003"))


def test_an_officer_who_is_not_active_may_do_nothing() -> None:
    with pytest.raises(Forbidden, match="not an active inspector"):
        check(RETIRED, Permission.ASSIGNMENT_READ)


def test_only_the_lead_runs_the_shared_steps() -> None:
    for permission in LEAD_ONLY:
        assert allowed(LEAD, permission) and not allowed(REGULATOR, permission), permission
    assert allowed(LEAD, Permission.REVIEW, Scope(department="SCJG"))  # its own department's part too
    assert not allowed(LEAD, Permission.REVIEW, Scope(department="XF"))


def test_the_audit_log_names_the_account() -> None:
    assert LEAD.actor == "user#1:lead"
