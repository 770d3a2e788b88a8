"""`spotcheck token create` prints a token once; the API accepts it; the database holds only its hash."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from spotcheck.api import create_app
from spotcheck.cli import app as cli
from spotcheck.config import Settings
from spotcheck.store.engine import make_engine
from spotcheck.store.tables import TokenRow
from spotcheck.store.uow import UnitOfWork


def test_issued_token_works_and_only_its_hash_is_stored(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPOTCHECK_DATABASE_URL", migrated_url)
    result = CliRunner().invoke(cli, ["token", "create", "--role", "regulator", "--subject", "SCJG"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    engine = make_engine(migrated_url)
    try:
        client = TestClient(create_app(Settings(), uow_factory=lambda: UnitOfWork(engine)))
        assert (
            client.get("/api/regulator/plans", headers={"Authorization": f"Bearer {token}"}).status_code
            == 200
        )
        with UnitOfWork(engine) as uow:
            stored = list(uow.session.execute(select(TokenRow.token_hash, TokenRow.role, TokenRow.subject)))
        assert len(stored) == 1 and stored[0][1:] == ("regulator", "SCJG") and token not in stored[0][0]
    finally:
        engine.dispose()


def test_unknown_role_is_refused(migrated_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPOTCHECK_DATABASE_URL", migrated_url)
    result = CliRunner().invoke(cli, ["token", "create", "--role", "root", "--subject", "x"])
    assert result.exit_code == 1 and "role must be one of regulator, inspector, credit" in result.output
