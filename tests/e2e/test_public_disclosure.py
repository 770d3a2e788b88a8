"""The public disclosure in Debian's Chromium at 390×844 and at desktop size, on a quarter really drawn and
published: the firm page, the quarter page and its XLSX, a drawn and a not-drawn firm checked in the browser
against the record, an inclusion proof that verifies and one that fails once its result is altered, HTML error
pages, pagination past 50, no sideways scrolling at 390 px, and no reference to an outside host."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select, update

from spotcheck.api import create_app
from spotcheck.config import Settings
from spotcheck.domain.categories import ReviewState
from spotcheck.store.quarter import DrawRow, ResultRow, VisitRow
from spotcheck.store.uow import UnitOfWork
from tests.e2e.browser import assert_fits, screenshot, served
from tests.e2e.local_assets import assets_served_here
from tests.integration.test_publication_tree import published

SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> Iterator[tuple[str, int, Any]]:
    plan_id, _, _ = published(uow_factory, tmp_path)
    with served(uow_factory) as url:
        yield url, plan_id, uow_factory


def _record(uow_factory: Callable[[], UnitOfWork], plan_id: int) -> dict[str, Any]:
    with uow_factory() as uow:
        text = (
            uow.session.execute(
                select(DrawRow.record).where(DrawRow.plan_id == plan_id).order_by(DrawRow.id.desc())
            )
            .scalars()
            .first()
        )
        firms = list(uow.session.execute(select(VisitRow.uscc).where(VisitRow.plan_id == plan_id)).scalars())
    assert text is not None and firms
    return json.loads(text)


def _not_drawn(uow_factory: Callable[[], UnitOfWork], drawn: set[str]) -> str:
    from spotcheck.store.tables import EnterpriseRow

    with uow_factory() as uow:
        codes = uow.session.execute(
            select(EnterpriseRow.uscc).where(
                EnterpriseRow.kind == "enterprise", EnterpriseRow.status == "active"
            )
        ).scalars()
        return next(c for c in codes if c not in drawn)


def _no_sideways(tab: Any, name: str, width: int) -> None:
    screenshot(tab, f"public-{name}-{width}")
    assert_fits(tab, name)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_public_disclosure_in_the_browser(world: tuple[str, int, Any], browser: Any, size: str) -> None:
    site, plan_id, uow_factory = world
    width, height = SIZES[size]
    tab = browser.new_page(viewport={"width": width, "height": height})
    record = _record(uow_factory, plan_id)
    drawn_firm = record["visits"][0]["uscc"]
    quiet_firm = _not_drawn(uow_factory, {v["uscc"] for v in record["visits"]})

    tab.goto(f"{site}/plans/{plan_id}")
    text = tab.inner_text("body")
    assert "冻结日期 Frozen on" in text and "公示日期 Published on" in text and "检查窗口" in text
    assert "依据 Legal basis" in tab.content()
    _no_sideways(tab, "plan", width)
    tab.goto(f"{site}/plans/{plan_id}?print=true")
    assert "Audit head" not in tab.inner_text("body")
    _no_sideways(tab, "plan-print", width)

    # a drawn firm: every task that drew it says drawn, and agrees with the record
    tab.goto(f"{site}/firms/{drawn_firm}")
    assert "企业信息 Registry facts" in tab.inner_text("body")
    _no_sideways(tab, "firm", width)
    tab.click(f"[data-drawcheck='{plan_id}'] button")
    tab.wait_for_selector(f"[data-drawcheck='{plan_id}'] ul[data-done]")
    verdicts = tab.eval_on_selector_all(
        f"[data-drawcheck='{plan_id}'] li[data-task]",
        "els => els.map(e => [e.dataset.task, e.dataset.verdict, e.dataset.agrees])",
    )
    tasks = {d["task"] for v in record["visits"] if v["uscc"] == drawn_firm for d in v["draws"]}
    assert tasks and {t for t, verdict, _ in verdicts if verdict == "drawn"} == tasks
    assert all(agrees == "yes" for _, _, agrees in verdicts)
    # its published results' proofs verify against the published root
    proofs = tab.query_selector_all("[data-proof]")
    assert proofs
    for cell in proofs:
        cell.query_selector("button").click()
    for cell in proofs:
        tab.wait_for_selector(f"[data-proof='{cell.get_attribute('data-proof')}'][data-state]")
    assert {c.get_attribute("data-state") for c in proofs} == {"verified"}

    # a firm not drawn: no task says drawn, and the record agrees
    tab.goto(f"{site}/firms/{quiet_firm}")
    tab.click(f"[data-drawcheck='{plan_id}'] button")
    tab.wait_for_selector(f"[data-drawcheck='{plan_id}'] ul[data-done]")
    verdicts = tab.eval_on_selector_all(
        f"[data-drawcheck='{plan_id}'] li[data-task]",
        "els => els.map(e => [e.dataset.verdict, e.dataset.agrees])",
    )
    assert verdicts and all(v == ["not-drawn", "yes"] for v in verdicts)
    _no_sideways(tab, "firm-not-drawn", width)

    tab.goto(f"{site}/")
    _no_sideways(tab, "index", width)
    tab.goto(f"{site}/?q=临沂")
    _no_sideways(tab, "search", width)
    answer = tab.goto(f"{site}/plans/999")
    assert answer is not None and answer.status == 404 and "未找到" in tab.inner_text("body")
    _no_sideways(tab, "404", width)


def test_an_altered_result_fails_its_proof_in_the_browser(world: tuple[str, int, Any], browser: Any) -> None:
    site, _plan_id, uow_factory = world
    with uow_factory() as uow:
        result = uow.session.execute(
            select(ResultRow.id, VisitRow.uscc)
            .join(VisitRow, VisitRow.id == ResultRow.visit_id)
            .where(ResultRow.state == ReviewState.PUBLISHED.value)
            .order_by(ResultRow.id)
        ).first()
        assert result is not None
        uow.session.execute(
            update(ResultRow).where(ResultRow.id == result.id).values(findings="篡改 altered")
        )
        uow.commit()
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    tab.goto(f"{site}/firms/{result.uscc}")
    cell = tab.query_selector(f"[data-proof='{result.id}']")
    cell.query_selector("button").click()
    tab.wait_for_selector(f"[data-proof='{result.id}'][data-state]")
    assert cell.get_attribute("data-state") == "failed"


def test_downloads_errors_cache_and_pages_past_fifty(world: tuple[str, int, Any]) -> None:
    _site, plan_id, uow_factory = world
    client = TestClient(create_app(Settings(), uow_factory=uow_factory))
    everything = client.get(f"/api/public/plans/{plan_id}/results?limit=500").json()
    book = load_workbook(io.BytesIO(client.get(f"/plans/{plan_id}/results.xlsx").content))
    sheet = book.worksheets[0]
    assert sheet.max_row - 1 == everything["count"] > 0
    assert {r[2] for r in sheet.iter_rows(min_row=2, values_only=True)} == {
        r["uscc"] for r in everything["data"]
    }
    csv_text = client.get(f"/plans/{plan_id}/results.csv").content.decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) - 1 == everything["count"]
    # errors: HTML for pages, JSON for the API
    page = client.get("/plans/999", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    bad = client.get(f"/plans/{plan_id}?page=0", headers={"Accept": "text/html"})
    assert bad.status_code == 422 and "<html" in bad.text
    assert client.get("/api/public/plans/999").json()["detail"] == "not found"
    # caching: ETag, Cache-Control, 304; signed-in callers are never cached
    first = client.get(f"/plans/{plan_id}")
    assert "must-revalidate" in first.headers["cache-control"] and first.headers["etag"]
    again = client.get(f"/plans/{plan_id}", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    api = client.get(f"/api/public/plans/{plan_id}")
    assert api.headers["etag"] and "public" in api.headers["cache-control"]
    signed = client.get(f"/api/public/plans/{plan_id}", headers={"Authorization": "Bearer x"})
    assert signed.headers["cache-control"] == "no-store"
    # a search past the first 50 firms: the second page holds the next ones
    first_page = client.get("/?q=临沂").text
    count = int(re.search(r"(\d+)\+? 家 / firms", first_page).group(1))  # type: ignore[union-attr]
    assert count > 50, "the test city must have more than one page of 临沂 firms"
    second = client.get("/?q=临沂&page=2")
    assert "第 51–" in second.text


def test_no_page_or_asset_refers_to_an_outside_host(world: tuple[str, int, Any]) -> None:
    _site, plan_id, uow_factory = world
    client = TestClient(create_app(Settings(), uow_factory=uow_factory))
    record = _record(uow_factory, plan_id)
    pages = ["/", "/?q=临沂", f"/plans/{plan_id}", f"/plans/{plan_id}?print=true", "/docs", "/redoc",
             f"/firms/{record['visits'][0]['uscc']}", "/dashboard", "/inspector"]  # fmt: skip
    assets = assets_served_here(client, pages, statuses=(200, 401))
    assert any("swagger-ui-bundle" in a for a in assets) and any("redoc" in a for a in assets)
    for vendored in ("/static/vendor/htmx/htmx.min.js", "/static/vendor/echarts/echarts.min.js"):
        assert client.get(vendored).status_code == 200
