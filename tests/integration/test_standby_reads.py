"""Public reads from a PostgreSQL hot standby (docs/scale.md "Public reads from hot standbys"): a quarter published
on the primary is served whole by the public routes reading the standby, also once the primary is down, and a
write through the read engine is refused.

Runs wherever the PostgreSQL binaries are installed (it starts its own primary and standby, ``tests/pg_cluster``);
skipped when they are missing, unless SPOTCHECK_REQUIRE_PG=1 (CI), in which case it fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from spotcheck.api import create_app
from spotcheck.bootstrap import bootstrap
from spotcheck.config import Settings
from spotcheck.services.draws import published_record
from spotcheck.solver.draw.record import dump_record
from spotcheck.store import StorageError, upgrade
from tests.accounts import add_account
from tests.integration.test_publication_tree import published, verify_proof
from tests.pg_cluster import ReplicatedPair, pg_bin, replicated_pair

pytestmark = pytest.mark.postgres


@pytest.fixture
def pair() -> Iterator[ReplicatedPair]:
    if pg_bin() is None:
        reason = "PostgreSQL binaries (initdb, pg_ctl, pg_basebackup) not found"
        if os.environ.get("SPOTCHECK_REQUIRE_PG") == "1":
            pytest.fail(reason + "; SPOTCHECK_REQUIRE_PG=1 requires them")
        pytest.skip(reason)
    with replicated_pair() as started:
        yield started


def test_a_quarter_published_on_the_primary_is_read_from_the_standby(
    pair: ReplicatedPair, tmp_path: Path
) -> None:
    settings = Settings(database_url=pair.primary_url, read_database_url=pair.standby_url)
    upgrade(pair.primary_url)
    with bootstrap(settings) as storage:
        plan_id, done, result = published(storage.uow, tmp_path)
        with storage.uow() as uow:
            record = dump_record(published_record(uow, plan_id))
        pair.wait_for_replay()
        with storage.read_uow() as uow:
            assert uow.session.execute(text("SELECT pg_is_in_recovery()")).scalar_one() is True
            with pytest.raises(StorageError, match="read-only"):
                add_account(uow, "probe", "credit")

    pair.stop_primary()  # from here on only the standby answers: every public read below is served by it
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        plan = client.get(f"/api/public/plans/{plan_id}").json()
        assert plan["state"] == "published" and plan["tree_root"] == done["tree"]["root"]
        assert plan_id in {p["id"] for p in client.get("/api/public/plans").json()["data"]}
        assert client.get(f"/api/public/plans/{plan_id}/record").content == record
        results = client.get(f"/api/public/plans/{plan_id}/results", params={"limit": 500}).json()
        assert results["count"] == done["results"] and result.id in {r["id"] for r in results["data"]}
        assert client.get(f"/api/public/plans/{plan_id}/visits").json()["count"] >= 1
        assert verify_proof(client.get(f"/api/public/results/{result.id}/proof").json())
        assert client.get(f"/api/public/plans/{plan_id}/corrections").json()["count"] == 0
        uscc = results["data"][0]["uscc"]
        lottery = client.get(f"/api/public/plans/{plan_id}/lottery/{uscc}")
        assert lottery.status_code == 200 and lottery.json()["uscc"] == uscc
        page = client.get(f"/plans/{plan_id}")
        assert page.status_code == 200 and uscc in page.text
        assert client.get("/").status_code == 200
    app.state.read_engine.dispose()
    app.state.engine.dispose()
