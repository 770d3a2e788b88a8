"""The API under a published quarter (``spotcheck demo``'s database): latency of what each user calls, in process
(FastAPI TestClient, no network), and the throughput of a bulk tier push.

Full: 20,000 firms; quick: 3,000. For each endpoint: REPEAT calls, p50 / p95 / max in milliseconds. The tier push
sends one tier row per firm as CSV and as JSON lines (new batch ids, so every row is appended). Writes
``api.json`` to the results folder.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from bench import write_result
from spotcheck.api import create_app
from spotcheck.bootstrap import bootstrap
from spotcheck.config import Settings
from spotcheck.services.demo import run_demo
from spotcheck.store.tables import AssignmentRow, EnterpriseRow, PlanRow
from tests.accounts import issue

FULL, QUICK = 20_000, 3_000
REPEAT = 50


def _timed(client: TestClient, path: str, headers: dict[str, str]) -> dict[str, Any]:
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 2),
        "max_ms": round(samples[-1], 2),
    }


def _push(
    client: TestClient, headers: dict[str, str], codes: list[str], media: str, batch: str
) -> dict[str, Any]:
    if media == "text/csv":
        body = "uscc,tier,effective,batch\n" + "".join(
            f"{c},{'ABCD'[i % 4]},2026-05-01,{batch}\n" for i, c in enumerate(codes)
        )
    else:
        body = "".join(
            json.dumps({"uscc": c, "tier": "ABCD"[i % 4], "effective": "2026-05-01", "batch": batch}) + "\n"
            for i, c in enumerate(codes)
        )
    start = time.perf_counter()
    response = client.post(
        "/api/credit/tiers", content=body.encode(), headers={**headers, "Content-Type": media}
    )
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"tier push: {response.status_code} {response.text[:300]}")
    return {
        "rows": len(codes),
        "bytes": len(body.encode()),
        "seconds": round(seconds, 3),
        "rows_per_second": int(len(codes) / seconds),
    }


def _one(firms: int, folder: Path) -> dict[str, Any]:
    storage = bootstrap(Settings(database_url=f"sqlite:///{folder / 'api.sqlite'}"), migrate=True)
    run_demo(storage.uow, folder / "city", firms=firms, say=lambda _m: None)
    with storage.uow() as uow:
        plan_id = uow.session.execute(select(PlanRow.id).where(PlanRow.state == "published")).scalar_one()
        officer = uow.session.execute(select(AssignmentRow.inspector_id).limit(1)).scalar_one()
        codes = list(uow.session.execute(select(EnterpriseRow.uscc).order_by(EnterpriseRow.uscc)).scalars())
        name = uow.session.execute(select(EnterpriseRow.name).limit(1)).scalar_one()
        uow.commit()
    auth = {
        "regulator": issue(storage.uow, "bench-lead", "lead", department="SCJG"),
        "inspector": issue(storage.uow, "bench-officer", "inspector", officer=officer),
        "credit": issue(storage.uow, "bench-credit", "credit"),
    }
    client = TestClient(create_app(Settings(), uow_factory=storage.uow))
    calls = {
        "public page /": ("/", {}),
        "public search by name": (f"/api/public/enterprises?q={name[2:6]}", {}),
        "public search by code": (f"/api/public/enterprises?q={codes[len(codes) // 2]}", {}),
        "public plans": ("/api/public/plans", {}),
        "public results (100)": (f"/api/public/plans/{plan_id}/results?limit=100", {}),
        "public lottery": (f"/api/public/plans/{plan_id}/lottery/{codes[0]}", {}),
        "regulator plans": ("/api/regulator/plans", auth["regulator"]),
        "regulator workload": (f"/api/regulator/plans/{plan_id}/workload", auth["regulator"]),
        "inspector assignments": ("/api/inspector/assignments", auth["inspector"]),
        "credit feed (1000)": ("/api/credit/feed?limit=1000", auth["credit"]),
    }
    latency = {label: _timed(client, path, headers) for label, (path, headers) in calls.items()}
    pushes = {
        "csv": _push(client, auth["credit"], codes, "text/csv", "BENCH-CSV"),
        "jsonl": _push(client, auth["credit"], codes, "application/x-ndjson", "BENCH-JSONL"),
    }
    storage.close()
    return {"firms": firms, "latency": latency, "tier_push": pushes}


def run(results_dir: Path, quick: bool) -> None:
    firms = QUICK if quick else FULL
    with tempfile.TemporaryDirectory(prefix="spotcheck-bench-api-") as tmp:
        row = _one(firms, Path(tmp))
    for label, numbers in row["latency"].items():
        print(f"  {label}: p50 {numbers['p50_ms']} ms, p95 {numbers['p95_ms']} ms", flush=True)
    for media, numbers in row["tier_push"].items():
        print(
            f"  tier push {media}: {numbers['rows']:,} rows in {numbers['seconds']} s "
            f"({numbers['rows_per_second']:,} rows/s)",
            flush=True,
        )
    write_result(results_dir / "api.json", {"benchmark": "api", "repeat": REPEAT, **row})
