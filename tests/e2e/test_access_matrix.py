"""Every protected route × every role × another person's or department's object gives the refusal docs/api.md
documents: 401 without credentials, 403 with the wrong-role detail for a role without the permission, 403
``forbidden`` for another department's object, 404 ``not found`` for another officer's visit.

The routes come from the app itself (its OpenAPI operations): a new route without a rule here fails the test.
The signed-in pages (``web.regulator``, ``web.inspector``) are checked the same way with sessions instead of
tokens (PAGE_RULES): the sign-in form (401) for nobody or another role's session, 404 for another officer's visit.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute

from spotcheck.api import create_app
from spotcheck.api.deps import NOT_AUTHENTICATED, WRONG_ROLE
from spotcheck.config import Settings
from spotcheck.web import inspector as inspector_pages
from spotcheck.web import regulator as regulator_pages
from tests.e2e.conftest import World

LEAD, DEPT, OFFICER, CREDIT = "regulator", "xf", "scjg004", "credit"  # the lead is SCJG's, DEPT is XF's
REGULATORS = frozenset({LEAD, DEPT})
EVERYONE = (None, LEAD, DEPT, OFFICER, CREDIT)
SECRET = "ab" * 32
R = "/api/regulator/plans/{plan_id}"
FILES = "/api/inspector/assignments/{visit_id}/result/attachments"

# "METHOD path" -> (who may call it, what it is scoped to: None, "body" or "path" department, "visit")
RULES: dict[str, tuple[frozenset[str], str | None]] = {
    "GET /api/regulator/directories": (REGULATORS, None),
    "GET /api/regulator/plans": (REGULATORS, None),
    "POST /api/regulator/plans": (frozenset({LEAD}), None),
    f"GET {R}": (REGULATORS, None),
    f"GET {R}/visits": (REGULATORS, None),
    f"GET {R}/workload": (REGULATORS, None),
    f"GET {R}/deadlines": (REGULATORS, None),
    "GET /api/regulator/audit": (REGULATORS, None),
    f"POST {R}/commitments": (REGULATORS, "body"),
    f"POST {R}/reveals": (REGULATORS, "body"),
    f"POST {R}/handin": (REGULATORS, "body"),
    f"POST {R}/visits/{{visit_id}}/results/{{department}}/review": (REGULATORS, "path"),
    f"POST {R}/freeze": (frozenset({LEAD}), None),
    f"POST {R}/beacon": (frozenset({LEAD}), None),
    f"POST {R}/draw": (frozenset({LEAD}), None),
    f"POST {R}/assign": (frozenset({LEAD}), None),
    f"POST {R}/start": (frozenset({LEAD}), None),
    f"POST {R}/close": (frozenset({LEAD}), None),
    f"POST {R}/publish": (frozenset({LEAD}), None),
    "GET /api/inspector/assignments": (frozenset({OFFICER}), None),
    "GET /api/inspector/assignments/{visit_id}": (frozenset({OFFICER}), "visit"),
    "POST /api/inspector/assignments/{visit_id}/result": (frozenset({OFFICER}), "visit"),
    f"POST {FILES}": (frozenset({OFFICER}), "visit"),
    f"GET {FILES}": (frozenset({OFFICER}), "visit"),
    f"GET {FILES}/{{attachment_id}}": (frozenset({OFFICER}), "visit"),
    "POST /api/credit/tiers": (frozenset({CREDIT}), None),
    "GET /api/credit/feed": (frozenset({CREDIT}), None),
}
OWN = {LEAD: "SCJG", DEPT: "XF"}
BODIES: dict[str, Any] = {
    "commitments": {"secret": SECRET},
    "reveals": {"secret": SECRET},
    "handin": {"secret": SECRET},
    "review": {"approve": True},
    "result": {"category": "no_problem", "findings": ""},
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# The signed-in pages, "METHOD path" -> (who may open them, what they are scoped to: None or "visit"). The
# sign-in and sign-out routes themselves are open to anyone.
PAGE_RULES: dict[str, tuple[frozenset[str], str | None]] = {
    "GET /dashboard": (REGULATORS, None),
    "GET /inspector": (frozenset({OFFICER}), None),
    "GET /inspector/visits/{visit_id}": (frozenset({OFFICER}), "visit"),
    "POST /inspector/visits/{visit_id}/result": (frozenset({OFFICER}), "visit"),
    "GET /inspector/visits/{visit_id}/attachments/{attachment_id}": (frozenset({OFFICER}), "visit"),
}
HOMES = {LEAD: "/dashboard", DEPT: "/dashboard", OFFICER: "/inspector", "xf002": "/inspector"}


def protected_operations() -> list[str]:
    paths = create_app(Settings(), uow_factory=lambda: None).openapi()["paths"]  # type: ignore[arg-type,return-value]
    return sorted(
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method in operations
        if path.startswith("/api/") and not path.startswith("/api/public")
    )


def test_every_protected_route_has_a_rule() -> None:
    assert protected_operations() == sorted(RULES)


def _call(world: World, key: str, who: str | None, *, plan: int, visit: str, department: str) -> Any:
    method, template = key.split(" ")
    path = template.format(plan_id=plan, visit_id=visit, department=department, attachment_id=1)
    headers = world.auth(who) if who else {}
    if method == "POST" and template.endswith("/attachments"):  # multipart: one small photo
        return world.client.post(path, headers=headers, files=[("files", ("a.png", PNG, "image/png"))])
    body = BODIES.get(template.rsplit("/", 1)[-1])
    if template.endswith(("commitments", "reveals", "handin")):
        body = {**(body or {}), "department": department}
    return world.client.request(method, path, headers=headers, json=body)


@pytest.mark.parametrize("key", sorted(RULES))
def test_each_role_gets_the_documented_answer(world: World, key: str) -> None:
    allowed, _ = RULES[key]
    for who in EVERYONE:
        # an object that does not exist: the rule decides before the use case can answer 404 or 422
        response = _call(
            world, key, who, plan=999_999, visit="no-such-visit", department=OWN.get(who or "", "XF")
        )
        if who is None:
            assert (response.status_code, response.json()) == (401, {"detail": NOT_AUTHENTICATED}), key
        elif who not in allowed:
            assert (response.status_code, response.json()) == (403, {"detail": WRONG_ROLE}), (key, who)
        else:
            assert response.status_code not in (401, 403), (key, who, response.text[:300])


@pytest.mark.parametrize("key", sorted(k for k, (_, scope) in RULES.items() if scope in ("body", "path")))
def test_a_department_never_acts_for_another(world: World, key: str) -> None:
    for who, other in ((DEPT, "SCJG"), (LEAD, "XF")):  # the lead is bound to its own department too
        response = _call(world, key, who, plan=world.plans["inspecting"], visit=world.visits["joint"],
                         department=other)  # fmt: skip
        assert response.status_code == 403 and response.json()["detail"] == "forbidden", (key, who)


@pytest.mark.parametrize("key", sorted(k for k, (_, scope) in RULES.items() if scope == "visit"))
def test_an_officer_never_sees_or_records_another_officers_visit(world: World, key: str) -> None:
    for who, visit in (("scjg004", world.visits["joint"]), ("xf002", world.visits["solo"])):
        response = _call(world, key, who, plan=0, visit=visit, department="")
        assert (response.status_code, response.json()["detail"]) == (404, "not found"), (key, who)


def test_an_officer_records_only_for_their_own_department(world: World) -> None:
    response = world.client.post(
        f"/api/inspector/assignments/{world.visits['joint']}/result",
        headers=world.auth("xf002"),
        json={"category": "no_problem", "findings": "", "department": "SCJG"},
    )
    assert response.status_code == 403 and response.json()["detail"] == "forbidden"


def protected_pages() -> list[str]:
    return sorted(
        f"{method} {route.path}"
        for router in (regulator_pages.router, inspector_pages.router)
        for route in router.routes
        if isinstance(route, APIRoute) and not route.path.endswith(("/login", "/logout"))
        for method in route.methods
    )


def test_every_signed_in_page_has_a_rule() -> None:
    assert protected_pages() == sorted(PAGE_RULES)


def _sign_in_page(world: World, who: str | None) -> str:
    """Sign ``who`` in on their own pages (or sign everyone out); the session's CSRF token, "" for nobody."""
    world.client.cookies.clear()
    if who is None:
        return ""
    home = HOMES[who]
    assert world.sign_in(home, who).status_code == 200, who
    found = re.search(r'name="csrf_token" value="([^"]+)"', world.client.get(home).text)
    assert found is not None
    return found.group(1)


def _page(world: World, key: str, csrf: str, visit: str) -> Any:
    method, template = key.split(" ")
    path = template.format(visit_id=visit, attachment_id=1)
    if method == "POST":
        return world.client.post(path, data={"category": "no_problem", "csrf_token": csrf})
    return world.client.get(path)


@pytest.mark.parametrize("key", sorted(PAGE_RULES))
def test_each_role_gets_the_page_or_the_sign_in_form(world: World, key: str) -> None:
    allowed, _ = PAGE_RULES[key]
    for who in (None, LEAD, DEPT, OFFICER):  # the credit system has no password: it never signs in
        csrf = _sign_in_page(world, who)
        response = _page(world, key, csrf, "no-such-visit")
        if who in allowed:
            assert response.status_code not in (401, 403), (key, who, response.text[:300])
        else:
            assert response.status_code == 401 and 'action="' in response.text, (key, who)
            assert "/login" in response.text, (key, who)


@pytest.mark.parametrize("key", sorted(k for k, (_, scope) in PAGE_RULES.items() if scope == "visit"))
def test_an_officer_never_opens_another_officers_visit_page(world: World, key: str) -> None:
    for who, visit in (("scjg004", world.visits["joint"]), ("xf002", world.visits["solo"])):
        csrf = _sign_in_page(world, who)
        assert _page(world, key, csrf, visit).status_code == 404, (key, who)
