"""A small city with three plans, accounts with tokens for every role, and a TestClient over it, on SQLite and
PostgreSQL.

Plans (rows written directly, so these tests do not depend on the draw's output):
- ``published``: 2025 Q4, published, one visit with a published result, a revealed ceremony, feed entries;
- ``inspecting``: 2026 Q1, in inspection: a joint visit (SCJG + XF) and a SCJG visit, assignments, a record
  whose seed is SECRET_SEED — which must never reach the public;
- ``draft``: 2026 Q2, a draft the public must not see at all.

The ``playwright`` and ``browser`` fixtures start Debian's Chromium for the browser tests (tests/e2e/browser.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from spotcheck.api import create_app
from spotcheck.config import Settings
from spotcheck.domain.categories import ReviewState
from spotcheck.evidence.ceremony import commitment
from spotcheck.ingest.plan import parse_plan
from spotcheck.solver.draw.record import RECORD_FORMAT, dump_record, record_digest
from spotcheck.store.importer import import_folder
from spotcheck.store.tables import (
    AssignmentRow,
    CommitmentRow,
    FeedRow,
    ResultRow,
    SnapshotRow,
    VisitRow,
)
from spotcheck.store.uow import UnitOfWork
from tests.accounts import PASSWORD, add_account, token_for
from tests.conftest import REAL_CODES, make_code, write_tiny_city
from tests.e2e.browser import CHROMIUM, FLAGS

SECRET_SEED = "5ec2e7" + "ab" * 29  # the unpublished quarter's seed
PUBLIC_SEED = "0b11c5" + "cd" * 29
SECRET_DIGEST = "d1" * 32  # the unpublished snapshot digest (public from the freeze on)
FIRM_A = REAL_CODES[1]  # visited in both quarters
FIRM_B = make_code(2)  # index 3 of the tiny city: an enterprise in 371302... any stored firm works
# username -> (role, department, officer); "regulator" is the lead regulator (SCJG)
ACCOUNTS: dict[str, tuple[str, str | None, str | None]] = {
    "regulator": ("lead", "SCJG", None),
    "xf": ("department", "XF", None),
    "sthj": ("department", "STHJ", None),
    "scjg002": ("inspector", None, "SCJG-002"),
    "scjg004": ("inspector", None, "SCJG-004"),
    "xf002": ("inspector", None, "XF-002"),
    "credit": ("credit", None, None),
}


@dataclass
class World:
    client: TestClient
    uow_factory: Callable[[], UnitOfWork]
    tokens: dict[str, str]
    plans: dict[str, int]
    visits: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def sign_in(self, home: str, username: str, password: str = PASSWORD) -> Response:
        """Sign in on the pages under ``home`` as a browser would: show the form, post it with its CSRF token."""
        form = self.client.get(home)
        found = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        token = found.group(1) if found else ""
        data = {"username": username, "password": password, "csrf_token": token}
        return self.client.post(f"{home}/login", data=data)

    def sign_out(self, home: str) -> Response:
        page = self.client.get(home)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        return self.client.post(f"{home}/logout", data={"csrf_token": found.group(1) if found else ""})


def _record(
    year: int, quarter: int, seed: str, visits: list[dict[str, object]], secrets: dict[str, str]
) -> dict:
    joint = sum(1 for v in visits if v["joint"])
    return {
        "format": RECORD_FORMAT,
        "algorithm": "prn-interval/1",
        "year": year,
        "quarter": quarter,
        "seed": {
            "kind": "ceremony",
            "value": seed,
            "beacon": "beacon-1",
            "commitments": {d: commitment(d, s) for d, s in sorted(secrets.items())},
        },
        "visits": visits,
        "summary": {
            "directory_enterprises": 12,
            "quarter": {
                "visits": len(visits),
                "joint_visits": joint,
                "joint_share": f"{joint}/{len(visits)}",
                "enterprises_visited": len(visits),
                "coverage": f"{len(visits)}/12",
            },
        },
    }


def _visit(year: int, quarter: int, uscc: str, departments: list[str], items: list[str]) -> dict[str, object]:
    return {
        "id": f"{year}Q{quarter}-{uscc}",
        "uscc": uscc,
        "district": "371302",
        "lead": "SCJG",
        "departments": departments,
        "items": items,
        "joint": len(departments) >= 2,
    }


def _plan_json(city: Path, year: int, quarter: int) -> dict:
    data = json.loads((city / "plan.json").read_text(encoding="utf-8"))
    return {**data, "year": year, "quarter": quarter}


def populate(
    uow_factory: Callable[[], UnitOfWork], city: Path
) -> tuple[dict[str, str], dict[str, int], dict[str, str]]:
    import_folder(uow_factory(), city)
    secrets = {"SCJG": "1a" * 32, "STHJ": "2b" * 32, "XF": "3c" * 32}
    with uow_factory() as uow:
        plans = {}
        for name, (year, quarter, state) in {
            "published": (2025, 4, "published"),
            "inspecting": (2026, 1, "in_inspection"),
            "draft": (2026, 2, "draft"),
        }.items():
            plans[name] = uow.plans.add(parse_plan(_plan_json(city, year, quarter)), state=state).id
        v_pub = _visit(2025, 4, FIRM_A, ["SCJG"], ["SCJG-A07"])
        v_joint = _visit(2026, 1, FIRM_A, ["SCJG", "XF"], ["SCJG-B01", "XF-01"])
        v_solo = _visit(2026, 1, FIRM_B, ["SCJG"], ["SCJG-A07"])
        drawn = {
            "published": (2025, 4, PUBLIC_SEED, [v_pub]),
            "inspecting": (2026, 1, SECRET_SEED, [v_joint, v_solo]),
        }
        for name, (year, quarter, seed, visits) in drawn.items():
            plan_id = plans[name]
            record = _record(year, quarter, seed, visits, secrets)
            digest = "a0" * 32 if name == "published" else SECRET_DIGEST
            uow.session.add(SnapshotRow(plan_id=plan_id, digest=digest, payload="{}"))
            for department, secret in sorted(secrets.items()):
                uow.session.add(
                    CommitmentRow(
                        plan_id=plan_id,
                        department=department,
                        commitment=commitment(department, secret),
                        secret=secret if name == "published" else None,
                    )
                )
            draw = uow.draws.add(
                plan_id, "draw", 1, dump_record(record).decode("utf-8"), record_digest(record)
            )
            uow.session.flush()
            for v in visits:
                uow.session.add(
                    VisitRow(
                        id=v["id"],
                        plan_id=plan_id,
                        draw_id=draw.id,
                        uscc=v["uscc"],
                        district=v["district"],
                        lead=v["lead"],
                        departments=";".join(v["departments"]),
                        items=";".join(v["items"]),
                        joint=v["joint"],
                    )
                )
        uow.session.flush()
        staff = {
            v_pub["id"]: [("SCJG", "SCJG-002", True), ("SCJG", "SCJG-003", False)],
            v_joint["id"]: [
                ("SCJG", "SCJG-002", True),
                ("SCJG", "SCJG-003", False),
                ("XF", "XF-002", False),
                ("XF", "XF-003", False),
            ],
            v_solo["id"]: [("SCJG", "SCJG-004", True), ("SCJG", "SCJG-002", False)],
        }
        for visit_id, team in staff.items():
            for department, officer, leader in team:
                uow.session.add(
                    AssignmentRow(
                        visit_id=visit_id, department=department, inspector_id=officer, leader=leader
                    )
                )
        published, pending = (
            ResultRow(
                visit_id=v["id"],
                department=d,
                version=1,
                category=c,
                findings=f,
                state=st.value,
                recorded_by=by,
            )
            for v, d, c, f, st, by in (
                (v_pub, "SCJG", "no_problem", "经检查未发现问题", ReviewState.PUBLISHED, "SCJG-002"),
                (v_joint, "XF", "follow_up", "SECRET-FINDING 消防通道堵塞", ReviewState.PENDING, "XF-002"),
            )
        )
        uow.session.add_all([published, pending])
        uow.session.flush()
        for n in range(3):
            uow.session.add(
                FeedRow(
                    result_id=published.id,
                    uscc=FIRM_A,
                    payload=json.dumps({"visit": v_pub["id"], "n": n, "category": "no_problem"}),
                )
            )
        tokens = {}
        for who, (role, department, officer) in ACCOUNTS.items():
            user = add_account(uow, who, role, department=department, officer=officer)
            tokens[who] = token_for(uow, user)
        uow.commit()
    visits = {"published": str(v_pub["id"]), "joint": str(v_joint["id"]), "solo": str(v_solo["id"])}
    return tokens, plans, visits


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> Iterator[World]:
    tokens, plans, visits = populate(uow_factory, write_tiny_city(tmp_path / "city"))
    app = create_app(Settings(), uow_factory=uow_factory)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield World(client, uow_factory, tokens, plans, visits)


@pytest.fixture
def playwright() -> Iterator[Any]:
    """Playwright's synchronous API, started for one test; skips the test where Playwright is missing."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as pw:
        yield pw


@pytest.fixture
def browser(playwright: Any) -> Iterator[Any]:
    """Debian's Chromium, headless (tests/e2e/browser.py); skips the test where it is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
    yield launched
    launched.close()
