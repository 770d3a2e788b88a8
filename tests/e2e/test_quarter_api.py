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
from tests.conftest import write_tiny_city

DEPARTMENTS = ("SCJG", "STHJ", "XF")
SECRETS = {d: f"{i + 7:02x}" * 32 for i, d in enumerate(DEPARTMENTS)}


def _issue(uow_factory: Callable[[], UnitOfWork], role: str, subject: str) -> dict[str, str]:
    with uow_factory() as uow:
        token, _ = uow.tokens.issue(role, subject)
        uow.commit()
    return {"Authorization": f"Bearer {token}"}


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
    assert (
        ok("POST", f"{base}/freeze", lead["SCJG"], {"frozen_on": "2025-12-20", "unstaffable": "defer"})[
            "state"
        ]
        == "frozen"
    )
    assert client.get(f"/api/public/plans/{plan_id}").json()["snapshot_digest"]  # published at once
    ok(
        "POST",
        f"{base}/beacon",
        lead["SCJG"],
        {"value": "体彩 2025150: 03 11 19 27 33 + 05 09", "source": "China Sports Lottery"},
    )
    drawn = ok("POST", f"{base}/draw", lead["SCJG"], {"secrets": SECRETS})
    assert drawn["state"] == "drawn"
    again = client.post(f"{base}/draw", headers=lead["SCJG"], json={"secrets": SECRETS})
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
            ok(
                "POST",
                f"{base}/visits/{row['visit']}/results/{row['department']}/review",
                lead["SCJG"],
                {"approve": True},
            )
    ok("POST", f"{base}/close", lead["SCJG"])
    blocked = client.post(f"{base}/publish", headers=lead["SCJG"])
    assert blocked.status_code == 409  # no reveals yet: publication is blocked, visibly
    for d in DEPARTMENTS:
        ok("POST", f"{base}/reveals", lead[d], {"department": d, "secret": SECRETS[d]})
    ok("POST", f"{base}/publish", lead["SCJG"])

    public = client.get(f"/api/public/plans/{plan_id}").json()
    assert public["published"] and public["seed"] and public["stats"]["visits"] == len(visits)
    assert public["audit_head"] and public["beacon_source"] == "China Sports Lottery"
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
