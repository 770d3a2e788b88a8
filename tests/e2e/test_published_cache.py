"""Repeated requests for a published page are served from the cache without asking the database, and a write
through the same process is seen by the next reader at once (spotcheck.api.caching, docs/api.md "Caching")."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from spotcheck.api import caching, create_app
from spotcheck.config import Settings
from tests.e2e.conftest import World


def test_a_cached_page_needs_no_database_until_a_write(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    real = caching.publication_state

    def counted(factory):  # type: ignore[no-untyped-def]
        asked.append(1)
        return real(factory)

    monkeypatch.setattr(caching, "publication_state", counted)
    app = create_app(Settings(public_state_seconds=60), uow_factory=world.uow_factory)
    with TestClient(app) as client:
        plan = world.plans["published"]
        first = [client.get(path) for path in ("/", f"/plans/{plan}", "/api/public/plans")]
        again = [client.get(path) for path in ("/", f"/plans/{plan}", "/api/public/plans")]
        assert [r.status_code for r in first + again] == [200] * 6
        assert [r.headers["etag"] for r in first] == [r.headers["etag"] for r in again]
        assert len(asked) == 1  # one look at the publication state for all six
        cache = app.state.published_cache
        assert cache.get(("/", "", *real(world.uow_factory))) is not None
        client.post("/dashboard/login", data={"username": "x", "password": "y"})  # any write
        assert client.get("/").status_code == 200 and len(asked) == 2
