"""A whole quarter in Debian's Chromium, only through the regulator's pages: the lead (SCJG) and two more
departments (STHJ, XF) each in their own browser, signed in through the sign-in page with their own account.
Upload, plan, commitments, freeze, beacon, hand-ins, draw, inspector draw, window, results (the inspectors'
API), review, close, publish (the handed-in secrets revealed); then the published record passes ``verify`` and
the printable notice lists every result. A screenshot of every page goes to ``tests/artifacts/`` (git-ignored).

Skipped where Chromium or Playwright is missing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from spotcheck.ingest.city import find_file
from spotcheck.ingest.columns import KINDS
from spotcheck.queries.results import results
from spotcheck.services.publication import verify_plan
from spotcheck.store.uow import UnitOfWork
from tests.accounts import PASSWORD, add_account, token_for
from tests.conftest import write_tiny_city
from tests.e2e.browser import ARTIFACTS, screenshot, served
from tests.e2e.workspace import ACCOUNTS, add_accounts


def _token(uow_factory: Callable[[], UnitOfWork], username: str, *, officer: str | None = None) -> str:
    with uow_factory() as uow:
        user = uow.users.by_name(username) or add_account(uow, username, "inspector", officer=officer)
        token = token_for(uow, user)
        uow.commit()
    return token


@pytest.fixture
def site(uow_factory: Callable[[], UnitOfWork]) -> Iterator[str]:
    with served(uow_factory) as url:
        yield url


class Desk:
    """One person's browser, signed in, taking screenshots as it goes."""

    def __init__(self, browser: Any, site: str, who: str, shots: list[str]) -> None:
        self.tab = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        self.site, self.who, self.shots = site, who, shots
        self.tab.goto(site + "/regulator")
        if not shots:
            self.shot("sign-in")
        self.tab.fill("input[name=username]", who)
        self.tab.fill("input[name=password]", PASSWORD)
        self.tab.click("form[action='/regulator/login'] button[type=submit]")
        self.tab.wait_for_load_state()
        assert self.tab.locator("#who").count() == 1, self.tab.inner_text("main")

    def go(self, path: str) -> None:
        self.tab.goto(self.site + path)

    def shot(self, name: str) -> None:
        path = screenshot(self.tab, f"workspace-{len(self.shots):02d}-{self.who}-{name}")
        self.shots.append(path.name)

    def submit(self, form: str, name: str) -> None:
        self.tab.click(f"{form} button[type=submit]")
        self.tab.wait_for_load_state()
        self.finish_job()
        self.shot(name)
        alert = self.tab.locator("[role=alert]")
        assert alert.count() == 0, alert.all_inner_texts()

    def finish_job(self) -> None:
        """On a job's page, wait for the self-reloading page to say it is done."""
        if "/regulator/jobs/" in self.tab.url:
            self.tab.wait_for_selector("#job[data-finished=yes]", timeout=60_000)

    def state(self) -> str:
        return str(self.tab.get_attribute("#plan-state", "data-state"))


def test_a_whole_quarter_in_the_browser(
    site: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path, playwright: Any, browser: Any
) -> None:
    city = write_tiny_city(tmp_path / "city", firms=60)
    shots: list[str] = []
    add_accounts(uow_factory, city)
    desks = {d: Desk(browser, site, username, shots) for d, (username, _) in ACCOUNTS.items()}
    lead = desks["SCJG"]

    lead.go("/regulator/directories")
    lead.shot("directories")
    for kind in KINDS:
        lead.go("/regulator/directories")
        lead.tab.set_input_files(f"#upload-{kind} input[type=file]", str(find_file(city, kind)))
        lead.submit(f"#upload-{kind}", f"upload-{kind}")
    lead.go("/regulator/directories/enterprises?q=测试")
    lead.shot("browse-enterprises")
    assert "临沂测试企业" in lead.tab.inner_text("table")

    lead.go("/regulator/plan-editor")
    lead.tab.set_input_files("#plan-upload input[type=file]", str(city / "plan.json"))
    lead.tab.click("#plan-upload button[type=submit]")
    lead.tab.wait_for_load_state()
    lead.tab.wait_for_selector("#fields-form input[name=task-0-ratio-A]")
    lead.shot("plan-fields")
    lead.tab.click("#fields-form button[value=check]")
    lead.tab.wait_for_selector("#targets")
    lead.shot("plan-fields-check")
    lead.tab.click("#plan-form button[type=submit]:not(#plan-save)")
    lead.tab.wait_for_selector("#targets")
    lead.shot("plan-check")
    lead.tab.click("#plan-save")
    lead.tab.wait_for_selector("#plan-state")
    plan_path = lead.tab.url.removeprefix(site)
    plan_id = int(plan_path.rsplit("/", 1)[1])
    lead.shot("plan-draft")

    secrets: dict[str, str] = {}  # each department keeps its own; no page holds them all
    for d, desk in desks.items():
        desk.go(plan_path)
        desk.tab.click("#my-ceremony-link")
        desk.tab.wait_for_load_state()
        secrets[d] = desk.tab.input_value("#commit-form input[name=secret]")
        desk.submit("#commit-form", "commit")
    lead.go(plan_path)
    lead.tab.fill("#freeze-form input[name=frozen_on]", "2025-12-20")
    lead.tab.fill("#freeze-form input[name=beacon_source]", "中国体育彩票超级大乐透 第2025150期")
    lead.tab.fill("#freeze-form input[name=beacon_date]", "2025-12-22")
    lead.tab.select_option("#freeze-form select[name=unstaffable]", "defer")
    lead.submit("#freeze-form", "freeze")
    assert lead.state() == "frozen" and "快照摘要" in lead.tab.inner_text("#statement")
    lead.tab.fill("#beacon-form input[name=value]", "03 11 19 27 33 + 05 09")
    lead.submit("#beacon-form", "beacon")
    for d, desk in desks.items():
        desk.go(f"{plan_path}/ceremony")
        desk.tab.fill("#handin-form input[name=secret]", secrets[d])
        desk.submit("#handin-form", "handin")
    lead.go(plan_path)
    lead.submit("#draw-form", "draw-job")
    lead.go(plan_path)
    assert lead.state() == "drawn"
    lead.submit("#assign-form", "assign-job")
    lead.go(f"{plan_path}/staffing")
    lead.shot("staffing")
    assert lead.tab.locator("#decisions tbody tr").count() > 0  # the frozen option deferred some
    lead.go(plan_path)
    lead.tab.fill("#start-form input[name=begin]", "2026-01-05")
    lead.tab.fill("#start-form input[name=end]", "2026-03-20")
    lead.submit("#start-form", "window-open")
    assert lead.state() == "in_inspection" and "results unrecorded" in lead.tab.inner_text("#unrecorded")

    _inspectors_record(playwright, site, uow_factory, plan_id)
    for d, desk in desks.items():
        desk.go(f"{plan_path}/review")
        desk.shot("review-queue")
        while desk.tab.locator("form.review").count():
            desk.tab.locator("form.review button[value=approve]").first.click()
            desk.tab.wait_for_load_state()
        desk.shot("reviewed")
    lead.go(plan_path)
    lead.submit("#close-form", "window-closed")
    lead.submit("#publish-form", "published")
    assert lead.state() == "published"
    lead.go(f"{plan_path}/notice")
    lead.shot("notice")
    lead.tab.emulate_media(media="print")
    lead.shot("notice-print")
    lead.tab.emulate_media(media="screen")
    notice_rows = lead.tab.locator(".notice-table tbody tr").count()
    lead.go(f"/regulator/charts?plan={plan_id}")
    lead.shot("charts")
    lead.go(f"{plan_path}")
    lead.shot("quarter-timeline")
    lead.go("/regulator?lang=en")
    lead.shot("home-english")

    with uow_factory() as uow:
        _published, count = results(uow, plan_id=plan_id, limit=100_000)
    assert count > 0 and notice_rows == count
    verify_plan(uow_factory(), plan_id)  # the published record recomputes: VerificationError otherwise
    assert len(shots) > 20 and all((ARTIFACTS / s).exists() for s in shots)


def _inspectors_record(pw: Any, site: str, uow_factory: Callable[[], UnitOfWork], plan_id: int) -> None:
    """Each officer records their department's result on their own visits through the inspector API."""
    lead = pw.request.new_context(
        base_url=site, extra_http_headers={"Authorization": f"Bearer {_token(uow_factory, 'li')}"}
    )
    visits = lead.get(f"/api/regulator/plans/{plan_id}/visits?limit=1000").json()["data"]
    officers = sorted({o.split(":")[1] for v in visits for o in v["officers"]})
    done: set[tuple[str, str]] = set()
    for officer in officers:
        me = pw.request.new_context(
            base_url=site,
            extra_http_headers={
                "Authorization": f"Bearer {_token(uow_factory, officer.lower(), officer=officer)}"
            },
        )
        for a in me.get("/api/inspector/assignments").json()["data"]:
            if (a["visit_id"], a["department"]) in done:
                continue
            body = json.dumps({"category": "no_problem", "findings": "经检查未发现问题"})
            answer = me.post(
                f"/api/inspector/assignments/{a['visit_id']}/result",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            assert answer.status == 201, answer.text()
            done.add((a["visit_id"], a["department"]))
    assert done
