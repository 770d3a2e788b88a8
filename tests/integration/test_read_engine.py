"""The read-only engine the public routes use (docs/scale.md), on SQLite and PostgreSQL: it reads what the primary
wrote, refuses every write, and is what ``bootstrap`` and the app's public routes use when the read URL is set."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from spotcheck.api import create_app
from spotcheck.bootstrap import bootstrap
from spotcheck.config import Settings
from spotcheck.store import StorageError, import_folder
from spotcheck.store.engine import is_sqlite
from tests.accounts import add_account
from tests.conftest import write_tiny_city

READ_ONLY = (
    r"read-?only"  # PostgreSQL: "read-only transaction"; SQLite: "attempt to write a readonly database"
)


def test_the_read_url_defaults_to_the_primary(tmp_path: Path) -> None:
    assert (
        Settings(data_dir=tmp_path).resolved_read_database_url
        == Settings(data_dir=tmp_path).resolved_database_url
    )
    settings = Settings(
        database_url="postgresql+psycopg://p/db", read_database_url="postgresql+psycopg://s/db"
    )
    assert settings.resolved_read_database_url == "postgresql+psycopg://s/db"


def test_the_read_engine_reads_the_primary_and_refuses_writes(migrated_url: str, tmp_path: Path) -> None:
    with bootstrap(Settings(database_url=migrated_url, read_database_url=migrated_url)) as storage:
        import_folder(storage.uow(), write_tiny_city(tmp_path / "city"))
        with storage.read_uow() as uow:
            assert uow.session.execute(text("SELECT count(*) FROM enterprises")).scalar_one() == 30
            if not is_sqlite(migrated_url):  # one snapshot per request, read-only whatever the server
                shown = "SHOW transaction_isolation", "SHOW transaction_read_only"
                assert [uow.session.execute(text(q)).scalar_one() for q in shown] == ["repeatable read", "on"]
            with pytest.raises(StorageError, match=READ_ONLY):
                add_account(uow, "probe", "credit")
        with storage.read_uow() as uow, pytest.raises(DBAPIError, match=READ_ONLY):
            uow.session.execute(text("DELETE FROM enterprises"))
        with storage.uow() as uow:
            assert uow.session.execute(text("SELECT count(*) FROM enterprises")).scalar_one() == 30
            add_account(uow, "probe", "credit")  # the primary engine still writes
            uow.commit()


def test_public_routes_read_through_the_read_engine_and_signed_in_ones_do_not(
    migrated_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=migrated_url, read_database_url=migrated_url)
    app = create_app(settings)
    import_folder(app.state.uow_factory(), write_tiny_city(tmp_path / "city"))
    with TestClient(app) as client:
        assert client.get("/api/public/enterprises", params={"q": "临沂测试"}).json()["count"] == 30
        assert client.get("/").status_code == 200
    with app.state.read_uow_factory() as uow, pytest.raises(StorageError, match=READ_ONLY):
        add_account(uow, "probe", "credit")
    with app.state.uow_factory() as uow:
        add_account(uow, "probe", "credit")
        uow.commit()
    app.state.read_engine.dispose()
    app.state.engine.dispose()
