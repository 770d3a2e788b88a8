"""The public page and the regulator dashboard, rendered by the server."""

from __future__ import annotations

from tests.e2e.conftest import FIRM_A, PUBLIC_SEED, World


def test_public_page_lists_published_quarters_and_the_lottery_box(world: World) -> None:
    page = world.client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "2025 Q4" in page.text and "核对抽签号" in page.text and PUBLIC_SEED in page.text
    assert "/static/lottery.js" in page.text
    assert world.client.get("/static/lottery.js").status_code == 200


def test_public_page_search(world: World) -> None:
    page = world.client.get("/", params={"q": FIRM_A})
    assert FIRM_A in page.text and "1 家" in page.text


def test_dashboard_needs_a_regulator_account(world: World) -> None:
    assert world.client.get("/dashboard").status_code == 401
    refused = world.sign_in("/dashboard", "scjg002")
    assert refused.status_code == 401 and "not a regulator account" in refused.text
    signed_in = world.sign_in("/dashboard", "regulator")
    assert signed_in.status_code == 200  # followed the redirect
    assert "一单两库" in signed_in.text and "检查对象 Enterprises" in signed_in.text
    cookie = signed_in.history[0].headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    world.sign_out("/dashboard")
    assert world.client.get("/dashboard").status_code == 401


def test_pages_carry_protective_headers(world: World) -> None:
    page = world.client.get("/")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    mine = world.client.get("/api/inspector/assignments", headers=world.auth("scjg002"))
    assert mine.headers["cache-control"] == "no-store"
    assert "content-security-policy" not in world.client.get("/docs").headers


def test_plan_page_shows_published_results(world: World) -> None:
    page = world.client.get(f"/plans/{world.plans['published']}")
    assert page.status_code == 200
    assert "未发现问题" in page.text and FIRM_A in page.text and PUBLIC_SEED in page.text


def test_plan_page_before_publication_names_no_firm(world: World) -> None:
    page = world.client.get(f"/plans/{world.plans['inspecting']}")
    assert page.status_code == 200 and "不予公开" in page.text
    assert FIRM_A not in page.text and "SECRET-FINDING" not in page.text
    assert world.client.get(f"/plans/{world.plans['draft']}").status_code == 404


def test_dashboard_links_open_for_the_signed_in_regulator(world: World) -> None:
    plan = world.plans["inspecting"]
    links = [f"/api/regulator/plans/{plan}/visits", f"/api/regulator/plans/{plan}/workload"]
    for link in links:
        assert world.client.get(link).json() == {"detail": "not authenticated"}
    page = world.sign_in("/dashboard", "regulator")
    assert all(link in page.text for link in links)
    visits = world.client.get(links[0])
    assert visits.status_code == 200 and visits.json()["count"] == 2
    assert visits.headers["cache-control"] == "no-store"
    assert world.client.get(links[1]).status_code == 200


def test_the_sign_in_cookie_never_runs_a_step(world: World) -> None:
    world.sign_in("/dashboard", "regulator")
    response = world.client.post(f"/api/regulator/plans/{world.plans['inspecting']}/close")
    assert response.status_code == 401  # writes need the Bearer header: a cookie alone is not enough


def test_inspector_page_lists_only_the_officers_own_visits(world: World) -> None:
    assert world.client.get("/inspector").status_code == 401
    refused = world.sign_in("/inspector", "regulator")
    assert refused.status_code == 401 and "not an inspector account" in refused.text
    page = world.sign_in("/inspector", "scjg004")
    assert page.status_code == 200 and "no-store" == page.headers["cache-control"]
    assert world.visits["solo"] in page.text and world.visits["joint"] not in page.text
    world.sign_out("/inspector")
    assert world.client.get("/inspector").status_code == 401
