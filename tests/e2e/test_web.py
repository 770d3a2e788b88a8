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


def test_dashboard_needs_a_regulator_token(world: World) -> None:
    assert world.client.get("/dashboard").status_code == 401
    refused = world.client.post("/dashboard/login", data={"token": world.tokens["scjg002"]})
    assert refused.status_code == 401 and "not a regulator token" in refused.text
    signed_in = world.client.post("/dashboard/login", data={"token": world.tokens["regulator"]})
    assert signed_in.status_code == 200  # followed the redirect
    assert "一单两库" in signed_in.text and "检查对象 Enterprises" in signed_in.text
    cookie = signed_in.history[0].headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    world.client.post("/dashboard/logout")
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
