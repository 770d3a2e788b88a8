"""Every protected route × every role × another person's or department's object gives the refusal docs/api.md
documents: 401 without credentials, 403 with the wrong-role detail for a role without the permission, 403
``forbidden`` for another department's object, 404 ``not found`` for another officer's visit.

The routes come from the app itself (its OpenAPI operations): a new route without a rule here fails the test.
The signed-in pages (``web.regulator``, ``web.inspector``) are checked the same way with sessions instead of
tokens (PAGE_RULES): the sign-in form (401) for nobody or another role's session, 404 for another officer's visit.
The regulator's workspace (``/regulator``, WORKSPACE_RULES) likewise, and 403 for a department posting one of the
lead's steps.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from spotcheck.api import create_app
from spotcheck.api.deps import NOT_AUTHENTICATED, WRONG_ROLE
from spotcheck.config import Settings
from spotcheck.web import inspector as inspector_pages
from spotcheck.web import regulator as regulator_pages
from tests.accounts import PASSWORD
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
    "POST /api/regulator/directories/{kind}": (frozenset({LEAD}), None),
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
    path = template.format(
        plan_id=plan, visit_id=visit, department=department, attachment_id=1, kind="districts"
    )
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


# The regulator's workspace pages (server-rendered, outside the OpenAPI schema): "METHOD path" -> who may use
# it. Anyone else gets the sign-in form (401): nobody signed in, or an account that is not a regulator's; a
# department regulator posting one of the lead's steps gets 403. The sign-in itself is open to everyone.
P = "/regulator/plans/{plan_id}"
WORKSPACE_OPEN = frozenset({"GET /regulator/login", "POST /regulator/login", "POST /regulator/logout"})
WORKSPACE_RULES: dict[str, frozenset[str]] = {
    "GET /regulator": REGULATORS,
    "GET /regulator/jobs/{job_id}": REGULATORS,
    "GET /regulator/jobs/{job_id}/problems.xlsx": REGULATORS,
    "GET /regulator/directories": REGULATORS,
    "GET /regulator/directories/{kind}": REGULATORS,
    "POST /regulator/directories/{kind}": frozenset({LEAD}),
    "GET /regulator/plan-editor": REGULATORS,
    "POST /regulator/plan-editor/check": REGULATORS,
    "POST /regulator/plan-editor/upload": REGULATORS,
    "POST /regulator/plan-editor/save": frozenset({LEAD}),
    "POST /regulator/plan-editor/fields": REGULATORS,  # saving from the fields: the lead's (403 otherwise)
    "GET /regulator/charts": REGULATORS,
    f"GET {P}": REGULATORS,
    f"GET {P}/plan.json": REGULATORS,
    f"GET {P}/export.xlsx": REGULATORS,
    f"GET {P}/notice": REGULATORS,
    f"GET {P}/review": REGULATORS,
    f"POST {P}/review": REGULATORS,
    f"GET {P}/ceremony": REGULATORS,
    f"POST {P}/ceremony/commit": REGULATORS,
    f"POST {P}/ceremony/handin": REGULATORS,
    f"POST {P}/freeze": frozenset({LEAD}),
    f"POST {P}/beacon": frozenset({LEAD}),
    f"POST {P}/draw": frozenset({LEAD}),
    f"POST {P}/assign": frozenset({LEAD}),
    f"POST {P}/start": frozenset({LEAD}),
    f"POST {P}/close": frozenset({LEAD}),
    f"POST {P}/publish": frozenset({LEAD}),
    f"GET {P}/staffing": REGULATORS,
    f"POST {P}/staffing/decide": frozenset({LEAD}),
    f"POST {P}/staffing/replace": frozenset({LEAD}),
    "GET /regulator/results/{visit_id}/{department}/files/{attachment_id}": REGULATORS,  # own department's
}
WORKSPACE_FORMS: dict[str, dict[str, str]] = {  # valid fields, so a refusal is the rule's and not the form's
    "freeze": {"frozen_on": "2025-12-20", "beacon_source": "lottery", "beacon_date": "2025-12-22"},
    "beacon": {"value": "03 11 19", "source": "lottery"},
    "start": {"begin": "2026-01-05", "end": "2026-03-20"},
    "review": {"visit": "no-such-visit", "department": "XF", "decision": "approve"},
    "check": {"plan_json": "{}"},
    "save": {"plan_json": "{}"},
    "commit": {"secret": SECRET},
    "decide": {"intent": "preview"},
    "replace": {"visit": "no-such-visit", "department": "XF", "officer": "XF-002", "reason": "ill"},
    "handin": {"secret": SECRET},
}
WORKSPACE_FILES = {"upload", "{kind}"}  # multipart forms: a file field besides the token


def workspace_routes() -> list[str]:
    app = create_app(Settings(), uow_factory=lambda: None)  # type: ignore[arg-type,return-value]
    found = set()
    for route in app.router.routes:
        for inner in getattr(getattr(route, "original_router", None), "routes", [route]):
            path = getattr(inner, "path", "")
            if path == "/regulator" or path.startswith("/regulator/"):
                found |= {f"{m} {path}" for m in getattr(inner, "methods", ()) if m != "HEAD"}
    return sorted(found)


def test_every_workspace_page_has_a_rule() -> None:
    assert workspace_routes() == sorted(WORKSPACE_OPEN | set(WORKSPACE_RULES))


def _workspace_browser(world: World, who: str | None) -> tuple[TestClient, str]:
    """A browser signed in as ``who`` (None: nobody) through the workspace's sign-in form, and its form token."""
    client = TestClient(world.client.app, raise_server_exceptions=False)
    if who is None:
        return client, ""
    home = "/inspector" if who == OFFICER else "/regulator"  # an inspector signs in on its own pages
    form = client.get(home)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    data = {"username": who, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    assert client.post(f"{home}/login", data=data, follow_redirects=False).status_code == 303
    home = client.get("/regulator")
    signed = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    return client, signed.group(1) if signed and home.status_code == 200 else ""


@pytest.mark.parametrize("key", sorted(WORKSPACE_RULES))
def test_each_role_gets_the_documented_answer_on_the_workspace(world: World, key: str) -> None:
    method, template = key.split(" ")
    last = template.rsplit("/", 1)[-1]
    for who in EVERYONE[:4]:  # the credit system has no password: it never signs in
        path = template.format(plan_id=999_999, job_id="no-such-job", kind="districts", visit_id="no-such-visit",
                               department=OWN.get(who or "", "XF"), attachment_id=1)  # fmt: skip
        client, csrf = _workspace_browser(world, who)
        if method == "GET":
            response = client.get(path)
        else:
            data = {"csrf_token": csrf, **WORKSPACE_FORMS.get(last, {})}
            files = (
                {"file": ("districts.csv", b"code,name\n", "text/csv")} if last in WORKSPACE_FILES else None
            )
            response = client.post(path, data=data, files=files, follow_redirects=False)
        if who not in REGULATORS:  # nobody, or an inspector's session: the regulator's sign-in form
            assert response.status_code == 401 and 'action="/regulator/login"' in response.text, (key, who)
        elif who not in WORKSPACE_RULES[key]:
            assert response.status_code == 403, (key, who, response.status_code)
        else:
            assert response.status_code not in (401, 403), (key, who, response.text[:300])
