"""The public page in a real browser (headless Chromium driven by Playwright): what a citizen sees and does.

Skipped where Chromium or Playwright is missing (`make test` installs both on a machine where it can).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from spotcheck.store.uow import UnitOfWork
from tests.conftest import write_tiny_city
from tests.e2e.browser import served
from tests.e2e.conftest import FIRM_A, PUBLIC_SEED, SECRET_SEED, populate


@pytest.fixture
def site(uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> Iterator[str]:
    """The app over the e2e world (one published quarter, one in inspection), served on a loopback port."""
    populate(uow_factory, write_tiny_city(tmp_path / "city"))
    with served(uow_factory) as url:
        yield url


@pytest.fixture
def page(site: str, browser: Any) -> Any:
    return browser.new_page()


def test_the_public_page_shows_the_published_quarter_and_hides_the_secret_one(page: Any, site: str) -> None:
    page.goto(site + "/")
    text = page.inner_text("body")
    assert "2025 Q4" in text and "已公示 published" in text
    assert "2026 Q2" not in text  # a draft is not listed at all
    assert SECRET_SEED not in page.content()


def test_a_citizen_recomputes_a_lottery_number_in_the_browser(page: Any, site: str) -> None:
    page.goto(site + "/")
    page.select_option("#seed-pick", PUBLIC_SEED)  # only published quarters are offered
    assert page.input_value("#seed") == PUBLIC_SEED
    assert SECRET_SEED not in page.inner_html("#seed-pick")
    page.fill("#uscc", FIRM_A.lower())  # typed in lower case: the page normalises it
    page.click("#lottery button[type=submit]")
    page.wait_for_function("document.getElementById('lottery-out').textContent.length > 0")
    digest = hashlib.sha256(bytes.fromhex(PUBLIC_SEED) + FIRM_A.encode("ascii")).digest()
    assert str(int.from_bytes(digest[:8], "big")) in page.inner_text("#lottery-out")


def test_a_firm_is_found_by_its_credit_code(page: Any, site: str) -> None:
    page.goto(site + "/")
    page.fill("input[name=q]", FIRM_A)
    page.click("form[action='/'] button[type=submit]")
    page.wait_for_load_state()
    assert FIRM_A in page.inner_text("table")
