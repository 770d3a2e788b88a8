"""Ceremony v2 through the HTTP API and the CLI (docs/ceremony.md): a secret used before and a repeated commitment
are refused, one department cannot commit, hand in or reveal for another, and an outsider who knows every
department's secret and reads everything public still cannot compute the seed before publication."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from spotcheck.api import create_app
from spotcheck.config import Settings
from spotcheck.store.importer import import_folder
from spotcheck.store.quarter import DrawRow
from spotcheck.store.uow import UnitOfWork
from tests.accounts import issue
from tests.ceremony_steps import secret_for
from tests.conftest import write_tiny_city
from tests.integration.test_quarter_publication import (
    BEGIN,
    END,
    city_with_enough_officers,
    enter_and_approve_all,
)

DEPARTMENTS = ("SCJG", "STHJ", "XF")
SOURCE = "中国福利彩票双色球 第2025148期 开奖号码"
HEX64 = re.compile(r"[0-9a-f]{64}")


class Quarter:
    """A client with one regulator token per department, and helpers for the steps."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
        self.city = city_with_enough_officers(tmp_path)
        import_folder(uow_factory(), self.city)
        self.uow_factory = uow_factory
        self.client = TestClient(
            create_app(Settings(), uow_factory=uow_factory), raise_server_exceptions=False
        )
        self.lead = {d: self._issue("regulator", d) for d in DEPARTMENTS}

    def _issue(self, role: str, subject: str) -> dict[str, str]:
        """A Bearer header for a new account: SCJG's regulator is the lead, the others department regulators."""
        kind = "lead" if subject == "SCJG" else "department"
        return issue(self.uow_factory, f"reg-{subject.lower()}", kind, department=subject)

    def post(self, path: str, who: str, body: object = None) -> Any:
        return self.client.post(path, headers=self.lead[who], json=body)

    def ok(self, path: str, who: str, body: object = None, status: int = 200) -> Any:
        response = self.post(path, who, body)
        assert response.status_code == status, (path, response.text[:2000])
        return response.json()

    def plan(self, quarter: int) -> str:
        plan = json.loads((self.city / "plan.json").read_text(encoding="utf-8"))
        plan["quarter"] = quarter
        plan_id = self.ok("/api/regulator/plans", "SCJG", {"plan": plan}, status=201)["plan_id"]
        return f"/api/regulator/plans/{plan_id}"

    def commit_all(self, base: str, secrets: dict[str, str]) -> None:
        for d in DEPARTMENTS:
            self.ok(f"{base}/commitments", d, {"department": d, "secret": secrets[d]})

    def seeded(self, base: str) -> None:
        named = {
            "frozen_on": "2025-12-20",
            "beacon_source": SOURCE,
            "beacon_date": "2025-12-23",
            "unstaffable": "defer",
        }
        self.ok(f"{base}/freeze", "SCJG", named)
        self.ok(f"{base}/beacon", "SCJG", {"value": "03 11 19 27 33 + 05", "source": SOURCE})


def test_one_department_cannot_commit_hand_in_or_reveal_for_another(
    uow_factory: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    q = Quarter(uow_factory, tmp_path)
    base = q.plan(1)
    secrets = {d: secret_for("own", d) for d in DEPARTMENTS}
    for step in ("commitments", "handin", "reveals"):
        refused = q.post(f"{base}/{step}", "SCJG", {"department": "XF", "secret": secrets["XF"]})
        assert refused.status_code == 403 and "may not act for XF" in refused.json()["message"], step
    q.commit_all(base, secrets)
    q.seeded(base)
    refused = q.post(f"{base}/handin", "STHJ", {"department": "XF", "secret": secrets["XF"]})
    assert refused.status_code == 403
    q.ok(f"{base}/handin", "XF", {"department": "XF", "secret": secrets["XF"]})


def test_a_secret_used_before_and_a_repeated_commitment_are_refused_by_the_api(
    uow_factory: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    q = Quarter(uow_factory, tmp_path)
    first, second = q.plan(1), q.plan(2)
    secrets = {d: secret_for("reuse", d) for d in DEPARTMENTS}
    q.commit_all(first, secrets)
    again = q.post(f"{first}/commitments", "XF", {"department": "XF", "secret": secret_for("other")})
    assert again.status_code == 409 and "already committed" in again.json()["message"]
    committed = q.post(f"{second}/commitments", "XF", {"department": "XF", "secret": secrets["XF"]})
    assert committed.status_code == 422 and "used before" in committed.json()["message"]
    q.seeded(first)
    for d in DEPARTMENTS:
        q.ok(f"{first}/handin", d, {"department": d, "secret": secrets[d]})
    revealed = q.post(f"{second}/commitments", "SCJG", {"department": "SCJG", "secret": secrets["SCJG"]})
    assert revealed.status_code == 422 and "used before" in revealed.json()["message"]
    weak = q.post(f"{second}/commitments", "SCJG", {"department": "SCJG", "secret": "7" * 64})
    assert weak.status_code == 422 and "not random" in weak.json()["message"]


def test_a_secret_used_before_is_refused_by_the_cli(run_cli: Callable[..., str], tmp_path: Path) -> None:
    folder = write_tiny_city(tmp_path / "city", firms=60)
    run_cli("db", "upgrade")
    run_cli("import", "all", str(folder))
    plan = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    run_cli("plan", "create", str(folder / "plan.json"))
    (folder / "q2.json").write_text(json.dumps({**plan, "quarter": 2}), encoding="utf-8")
    run_cli("plan", "create", str(folder / "q2.json"))
    used = secret_for("cli-reuse", "XF")
    run_cli("commit", "--plan", "1", "--department", "XF", "--secret", used)
    assert "already committed" in run_cli("commit", "--plan", "1", "--department", "XF", ok=False)
    assert "used before (plan 1)" in run_cli(
        "commit", "--plan", "2", "--department", "XF", "--secret", used, ok=False
    )
    assert "used before" in run_cli(
        "commit", "--plan", "2", "--department", "SCJG", "--secret", used, ok=False
    )


def _public_text(client: TestClient, plan_id: int) -> str:
    """Every public answer and page an outsider can read about the plan, as one text."""
    answers = [
        client.get("/api/public/plans"),
        client.get(f"/api/public/plans/{plan_id}"),
        client.get(f"/api/public/plans/{plan_id}/record"),
        client.get(f"/api/public/plans/{plan_id}/visits"),
        client.get(f"/api/public/plans/{plan_id}/results"),
        client.get("/api/public/verify"),
        client.get("/"),
        client.get(f"/plans/{plan_id}"),
    ]
    return "\n".join(a.text for a in answers)


def _seed_guesses(text: str, digest: str, beacon: str, secrets: dict[str, str]) -> set[str]:
    """The outsider's tries: the v1 formula, and the v2 formula with every 64-hex string it has read (or none)
    in the place of the system secret."""
    sha = lambda t: hashlib.sha256(t.encode()).hexdigest()
    body = "".join(f"{d}\n{secrets[d]}\n" for d in sorted(secrets))
    guesses = {sha(f"spotcheck-seed/{v}\n{digest}\n{beacon}\n{body}") for v in (1, 2)}
    for candidate in set(HEX64.findall(text)):
        guesses.add(sha(f"spotcheck-seed/2\n{digest}\n{beacon}\n{candidate}\n{body}"))
    return guesses


def test_an_outsider_knowing_every_secret_cannot_compute_the_seed_before_publication(
    uow_factory: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    q = Quarter(uow_factory, tmp_path)
    base = q.plan(1)
    plan_id = int(base.rsplit("/", 1)[1])
    secrets = {d: secret_for("leaked", d) for d in DEPARTMENTS}  # every department's secret leaked
    q.commit_all(base, secrets)
    q.seeded(base)
    for d in DEPARTMENTS:
        q.ok(f"{base}/handin", d, {"department": d, "secret": secrets[d]})
    q.ok(f"{base}/draw", "SCJG")
    with uow_factory() as uow:  # the true seed, known to the test only
        stored = uow.session.execute(select(DrawRow.record).where(DrawRow.plan_id == plan_id)).scalar_one()
    seed = json.loads(stored)["seed"]["value"]

    before = _public_text(q.client, plan_id)
    view = q.client.get(f"/api/public/plans/{plan_id}").json()
    digest, beacon = view["snapshot_digest"], view["beacon"]
    assert digest and beacon and view["seed"] is None
    assert seed not in before
    assert seed not in _seed_guesses(before, digest, beacon, secrets)

    q.ok(f"{base}/assign", "SCJG", {})  # the freeze fixed: defer what cannot be staffed
    q.ok(f"{base}/start", "SCJG", {"begin": BEGIN.isoformat(), "end": END.isoformat()})
    enter_and_approve_all(uow_factory, plan_id)
    q.ok(f"{base}/close", "SCJG")
    after_results = _public_text(q.client, plan_id)  # still before publication
    assert seed not in _seed_guesses(after_results, digest, beacon, secrets)
    q.ok(f"{base}/publish", "SCJG")
    record = q.client.get(f"/api/public/plans/{plan_id}/record").json()["seed"]
    sha = lambda t: hashlib.sha256(t.encode()).hexdigest()
    body = "".join(f"{d}\n{record['reveals'][d]}\n" for d in sorted(record["reveals"]))
    again = sha(f"spotcheck-seed/2\n{digest}\n{beacon}\n{record['system_secret']}\n{body}")
    assert again == seed and record["value"] == seed and record["reveals"] == secrets
