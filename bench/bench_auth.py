"""Sign-in and session cost: how long a password sign-in takes (argon2id, on purpose), and what a signed-in
session or an API token adds to a request, as a ratio to the same request made anonymously in the same run.

In process (TestClient), SQLite, the tiny test city: the request measured is ``GET /api/public/plans`` for the
anonymous baseline, and the same read through the session cookie and a Bearer token (``GET /api/regulator/plans``
answers the same list). Writes ``bench/results/auth.json``.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bench import write_result
from spotcheck.api import create_app
from spotcheck.bootstrap import bootstrap
from spotcheck.config import Settings
from spotcheck.store.importer import import_folder
from tests.accounts import PASSWORD, add_account, issue
from tests.conftest import write_tiny_city


def _median_ms(call: Callable[[], Any], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = call()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text[:200]
    return round(statistics.median(times) * 1000, 3)


def run(results: Path, *, quick: bool = False) -> Path:
    n = 30 if quick else 300
    with tempfile.TemporaryDirectory() as folder:
        storage = bootstrap(Settings(database_url=f"sqlite:///{Path(folder) / 'auth.sqlite'}"), migrate=True)
        try:
            import_folder(storage.uow(), write_tiny_city(Path(folder) / "city"))
            with storage.uow() as uow:
                add_account(uow, "bench-lead", "lead", department="SCJG")
                uow.commit()
            bearer = issue(storage.uow, "bench-lead", "lead", department="SCJG")
            client = TestClient(create_app(Settings(), uow_factory=storage.uow))

            def sign_in() -> Any:
                client.cookies.clear()
                form = client.get("/dashboard")
                token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
                data = {
                    "username": "bench-lead",
                    "password": PASSWORD,
                    "csrf_token": token.group(1) if token else "",
                }
                return client.post("/dashboard/login", data=data, follow_redirects=False)

            sign_in_times = []
            for _ in range(5 if quick else 20):
                start = time.perf_counter()
                assert sign_in().status_code == 303
                sign_in_times.append(time.perf_counter() - start)
            anonymous = _median_ms(lambda: client.get("/api/public/plans"), n)
            session = _median_ms(lambda: client.get("/api/regulator/plans"), n)
            token = _median_ms(lambda: client.get("/api/regulator/plans", headers=bearer), n)
        finally:
            storage.close()
    data = {
        "what": "median ms per request in process (TestClient), SQLite, tiny city",
        "requests": n,
        "sign_in_ms": round(statistics.median(sign_in_times) * 1000, 1),
        "anonymous_ms": anonymous,
        "session_ms": session,
        "bearer_token_ms": token,
        "session_ratio": round(session / anonymous, 2),
        "bearer_token_ratio": round(token / anonymous, 2),
    }
    print(data)
    return write_result(results / "auth.json", data)
