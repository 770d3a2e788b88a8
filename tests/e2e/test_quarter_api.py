"""A whole quarter through the HTTP API, as the four users would drive it: plan, commitments, freeze, beacon,
draw, assign, start, results by the inspectors, review, close, reveals, publication — and what the public and
the credit system see before and after."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from spotcheck.api import create_app
from spotcheck.config import Settings
from spotcheck.store.importer import import_folder
from spotcheck.store.uow import UnitOfWork
from tests.accounts import issue
from tests.ceremony_steps import secret_for
from tests.conftest import write_tiny_city

DEPARTMENTS = ("SCJG", "STHJ", "XF")
SECRETS = {d: secret_for("api", d) for d in DEPARTMENTS}
SOURCE = "中国福利彩票双色球 第2025148期 开奖号码"


def _issue(uow_factory: Callable[[], UnitOfWork], role: str, subject: str) -> dict[str, str]:
    """A Bearer header for a new account: SCJG's regulator is the lead, the others department regulators."""
    if role == "regulator":
        kind = "lead" if subject == "SCJG" else "department"
        return issue(uow_factory, f"reg-{subject.lower()}", kind, department=subject)
    if role == "inspector":
        return issue(uow_factory, subject.lower(), role, officer=subject)
    return issue(uow_factory, subject, role)


def test_a_quarter_end_to_end(uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    city = write_tiny_city(tmp_path / "city", firms=60)
    import_folder(uow_factory(), city)
    client = TestClient(create_app(Settings(), uow_factory=uow_factory), raise_server_exceptions=False)
    lead = {d: _issue(uow_factory, "regulator", d) for d in DEPARTMENTS}
    credit = _issue(uow_factory, "credit", "credit-system")

    def ok(method: str, path: str, headers: dict[str, str], body: object = None, status: int = 200) -> dict:
        response = client.request(method, path, headers=headers, json=body)
        assert response.status_code == status, (path, response.text[:2000])
        return response.json()

    plan = json.loads((city / "plan.json").read_text(encoding="utf-8"))
    plan_id = ok("POST", "/api/regulator/plans", lead["SCJG"], {"plan": plan}, status=201)["plan_id"]
    base = f"/api/regulator/plans/{plan_id}"
    refused = client.post(
        f"{base}/commitments", headers=lead["SCJG"], json={"department": "XF", "secret": SECRETS["XF"]}
    )
    assert refused.status_code == 403  # a department commits only its own secret
    for d in DEPARTMENTS:
        ok("POST", f"{base}/commitments", lead[d], {"department": d, "secret": SECRETS[d]})
    named = {
        "frozen_on": "2025-12-20",
        "beacon_source": SOURCE,
        "beacon_date": "2025-12-23",
        "unstaffable": "defer",
    }
    assert ok("POST", f"{base}/freeze", lead["SCJG"], named)["state"] == "frozen"
    public = client.get(f"/api/public/plans/{plan_id}").json()
    assert public["snapshot_digest"]  # published at once, with the system commitment and the named beacon
    assert (
        public["ceremony"]["beacon_source"] == SOURCE and len(public["ceremony"]["system_commitment"]) == 64
    )
    ok("POST", f"{base}/beacon", lead["SCJG"], {"value": "03 11 19 27 33 + 05", "source": SOURCE})
    blocked = client.post(f"{base}/draw", headers=lead["SCJG"])
    assert blocked.status_code == 409 and "STHJ, XF" in blocked.json()["message"]  # nobody handed in yet
    for d in DEPARTMENTS:
        ok("POST", f"{base}/handin", lead[d], {"department": d, "secret": SECRETS[d]})
    drawn = ok("POST", f"{base}/draw", lead["SCJG"])
    assert drawn["state"] == "drawn"
    again = client.post(f"{base}/draw", headers=lead["SCJG"])
    assert again.status_code == 409  # never a second draw

    other = client.post(f"{base}/assign", headers=lead["SCJG"], json={"probability_cap": "1/3"})
    assert other.status_code == 422 and "fixed at the freeze" in other.text  # options are frozen
    ok("POST", f"{base}/assign", lead["SCJG"], {"defer_unstaffable": True})
    ok("POST", f"{base}/start", lead["SCJG"], {"begin": "2026-01-05", "end": "2026-03-20"})
    public = client.get(f"/api/public/plans/{plan_id}").json()
    assert public["stats"] is None and public["seed"] is None
    assert client.get(f"/api/public/plans/{plan_id}/visits").status_code == 404

    visits = ok("GET", f"{base}/visits?limit=1000", lead["SCJG"])["data"]
    assert visits
    officers = sorted({o.split(":")[1] for v in visits for o in v["officers"]})
    recorded: set[tuple[str, str]] = set()
    for officer in officers:
        token = _issue(uow_factory, "inspector", officer)
        for a in ok("GET", "/api/inspector/assignments", token)["data"]:
            if (a["visit_id"], a["department"]) not in recorded:  # one officer of the team records
                ok(
                    "POST",
                    f"/api/inspector/assignments/{a['visit_id']}/result",
                    token,
                    {"category": "no_problem", "findings": "未发现问题"},
                    status=201,
                )
                recorded.add((a["visit_id"], a["department"]))
    assert recorded
    due = ok("GET", f"{base}/deadlines?today=2026-03-21", lead["SCJG"])["data"]
    for row in due:
        if (row["visit"], row["department"]) in recorded:  # entered, awaiting review
            path = f"{base}/visits/{row['visit']}/results/{row['department']}/review"
            other = next(d for d in DEPARTMENTS if d != row["department"])
            # a department reviews only its own department's results
            assert client.post(path, headers=lead[other], json={"approve": True}).status_code == 403
            ok("POST", path, lead[row["department"]], {"approve": True})
    early = client.post(f"{base}/publish", headers=lead["SCJG"])
    assert early.status_code == 409  # the inspection period is not closed: publication is refused, visibly
    ok("POST", f"{base}/close", lead["SCJG"])
    ok("POST", f"{base}/publish", lead["SCJG"])  # the handed-in secrets are the reveals

    public = client.get(f"/api/public/plans/{plan_id}").json()
    # deferred visits (no lawful team) are shown as deferred and left out of the figures
    deferred = [v for v in visits if v["deferred"]]
    assert public["published"] and public["seed"] and public["stats"]["visits"] == len(visits) - len(deferred)
    assert public["stats"]["deferred"] == len(deferred)
    assert public["stats"]["joint_visits"] == sum(1 for v in visits if v["joint"] and not v["deferred"])
    assert public["audit_head"] and public["beacon_source"] == SOURCE
    assert public["stats"]["year_coverage"]["exact"] and public["stats"]["year_joint_share"]["exact"]
    record = client.get(f"/api/public/plans/{plan_id}/record").json()
    assert record["seed"]["reveals"] == SECRETS
    firm = record["visits"][0]["uscc"]
    mine = client.get(f"/api/public/plans/{plan_id}/lottery/{firm}").json()
    expected = hashlib.sha256(bytes.fromhex(public["seed"]) + firm.encode()).digest()[:8]
    assert mine["number"] == str(int.from_bytes(expected, "big"))
    assert mine["number"] == record["visits"][0]["draws"][0]["lottery"]  # the number the draw itself used
    results = client.get(f"/api/public/plans/{plan_id}/results").json()
    feed = ok("GET", "/api/credit/feed", credit)
    assert results["count"] > 0 and feed["count"] == results["count"]
