"""The inspector's workspace in a real browser (Debian's Chromium driven by Playwright), on a phone (390×844)
and on a desktop: an officer signs in with their account on the sign-in page, sees only their own visits of
the current quarter, records a result with a photo, and sees a reviewer's reason (returned through the
regulator API with the lead's token) and resubmits. No page scrolls sideways. Screenshots go to
``tests/artifacts/`` (git-ignored).

Skipped where Chromium or Playwright is missing.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from spotcheck.store.tables import VisitRow
from spotcheck.store.uow import UnitOfWork
from tests.accounts import PASSWORD
from tests.conftest import write_tiny_city
from tests.e2e.browser import assert_fits, screenshot, served
from tests.e2e.conftest import populate

SIZES = {"phone": (390, 844), "desktop": (1280, 860)}


def _png(width: int = 24, height: int = 16) -> bytes:
    """A small real PNG (a red-to-blue gradient), as a phone's camera would hand in a photo."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((255 - 10 * x, 40, 10 * x)) for x in range(width)) for _ in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PHOTO = _png()
# The inspection windows the started quarter gives its visits: the solo visit is due first.
WINDOWS = {"solo": (date(2026, 2, 2), date(2026, 3, 13)), "joint": (date(2026, 2, 2), date(2026, 3, 27))}


@dataclass
class Site:
    url: str
    tokens: dict[str, str]
    visits: dict[str, str]
    plans: dict[str, int]
    uow_factory: Callable[[], UnitOfWork]


@pytest.fixture
def site(uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> Iterator[Site]:
    tokens, plans, visits = populate(uow_factory, write_tiny_city(tmp_path / "city"))
    with uow_factory() as uow:
        for name, (start, end) in WINDOWS.items():
            row = uow.session.get(VisitRow, visits[name])
            assert row is not None
            row.window_start, row.window_end = start, end
        uow.commit()
    with served(uow_factory) as url:
        yield Site(url, tokens, visits, plans, uow_factory)


@pytest.fixture(params=sorted(SIZES))
def page(request: pytest.FixtureRequest, site: Site, browser: Any) -> Any:
    width, height = SIZES[request.param]
    tab = browser.new_page(viewport={"width": width, "height": height})
    tab.size_name = request.param  # names the screenshots
    return tab


def _shot(page: Any, name: str) -> None:
    screenshot(page, f"inspector-{name}-{page.size_name}")


def _sign_in(page: Any, site: Site, who: str) -> None:
    page.goto(site.url + "/inspector")
    assert_fits(page)
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(site.url + "/inspector")
    assert page.query_selector("input[name=password]") is None, page.inner_text("main")


def _record(page: Any, category: str, findings: str, photo_name: str) -> None:
    page.select_option("select[name=category]", category)
    page.fill("textarea[name=findings]", findings)
    page.set_input_files("input[name=files]", {"name": photo_name, "mimeType": "image/png", "buffer": PHOTO})
    page.click("#result button[type=submit]")
    page.wait_for_load_state()


def test_the_officer_signs_in_and_sees_only_their_own_current_visits(page: Any, site: Site) -> None:
    page.goto(site.url + "/inspector")
    _shot(page, "signin")
    _sign_in(page, site, "scjg002")
    assert_fits(page)
    _shot(page, "visits")
    links = page.eval_on_selector_all("a.title", "els => els.map(e => e.getAttribute('href'))")
    assert links == [f"/inspector/visits/{site.visits[v]}" for v in ("solo", "joint")]  # soonest due first
    main = page.inner_text("main")
    assert "临沂测试企业03有限公司" in main and "2026-03-13" in main  # the firms by name, the deadlines
    page.select_option("#quarter", "all")  # earlier quarters sit behind the filter
    page.click("form.filter button")
    page.wait_for_load_state()
    assert_fits(page)
    assert site.visits["published"] in page.inner_text("main")
    page.click("form[action='/inspector/logout'] button")
    _sign_in(page, site, "scjg004")
    links = page.eval_on_selector_all("a.title", "els => els.map(e => e.getAttribute('href'))")
    assert links == [f"/inspector/visits/{site.visits['solo']}"]
    assert site.visits["joint"] not in page.content()


def test_the_officer_records_a_result_with_a_photo(page: Any, site: Site) -> None:
    _sign_in(page, site, "scjg004")
    page.click("a.title")
    page.wait_for_load_state()
    assert_fits(page)
    text = page.inner_text("main")
    for shown in (
        "临沂测试企业03有限公司",
        "兰山区测试路3号",
        "兰山区",
        "企业公示信息检查",
        "企业信息公示暂行条例",
        "现场检查",
        "2026-02-02 ~ 2026-03-13",  # the window, ending on the deadline
    ):
        assert shown in text, shown
    assert "王芳" in text and "组长 Leader" in text and "市场监督管理局" in text
    _shot(page, "visit")
    _record(page, "corrected", "门头照片与登记地址一致；公示信息已责令更正", "门头.png")
    assert_fits(page)
    result = page.inner_text("#result")
    assert "待审核" in result and "发现问题经责令已改正" in result
    assert "门头.png" in result and hashlib.sha256(PHOTO).hexdigest() in result
    _shot(page, "recorded")
    href = page.get_attribute("#result a[href*='/attachments/']", "href")
    photo = page.request.get(site.url + href)
    assert photo.status == 200 and photo.body() == PHOTO


def test_the_officer_sees_the_returned_reason_and_resubmits(page: Any, site: Site) -> None:
    visit = site.visits["solo"]
    _sign_in(page, site, "scjg004")
    page.goto(f"{site.url}/inspector/visits/{visit}")
    _record(page, "no_problem", "经检查未发现问题", "first.png")
    returned = page.request.post(
        f"{site.url}/api/regulator/plans/{site.plans['inspecting']}/visits/{visit}/results/SCJG/review",
        data={"approve": False, "reason": "请补充现场照片"},
        headers={"Authorization": f"Bearer {site.tokens['regulator']}"},
    )
    assert returned.status == 200, returned.text()
    page.goto(site.url + "/inspector")
    assert "审核退回" in page.inner_text("main")
    page.goto(f"{site.url}/inspector/visits/{visit}")
    assert_fits(page)
    assert "请补充现场照片" in page.inner_text("#reason")
    _shot(page, "returned")
    _record(page, "no_problem", "经检查未发现问题，已补充现场照片", "second.png")
    assert_fits(page)
    result = page.inner_text("#result")
    assert "待审核" in result and "v3" in result and "second.png" in result and "first.png" in result
    assert page.query_selector("#reason") is None  # the reason belongs to the returned version
    _shot(page, "resubmitted")
