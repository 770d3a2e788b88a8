"""`spotcheck user create` and `spotcheck token create|list|revoke`: a token is printed once and acts as its
account; the database holds only its hash; a token for a made-up subject is refused; a password is never an
argument."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from spotcheck.api import create_app
from spotcheck.cli import app as cli
from spotcheck.config import Settings
from spotcheck.store.engine import make_engine
from spotcheck.store.importer import import_folder
from spotcheck.store.tables import AuditRow, TokenRow, UserRow
from spotcheck.store.uow import UnitOfWork
from tests.accounts import PASSWORD


@pytest.fixture
def cli_db(migrated_url: str, tiny_city_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SPOTCHECK_DATABASE_URL", migrated_url)
    monkeypatch.delenv("SPOTCHECK_USER", raising=False)
    engine = make_engine(migrated_url)
    try:
        import_folder(UnitOfWork(engine), tiny_city_dir)
    finally:
        engine.dispose()
    return migrated_url


def _invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.output


def test_issued_token_works_and_only_its_hash_is_stored(cli_db: str, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    code, _, output = _invoke(
        "user",
        "create",
        "lead-scjg",
        "--role",
        "lead",
        "--department",
        "SCJG",
        "--password-file",
        str(secret),
    )
    assert code == 0, output
    code, stdout, output = _invoke("token", "create", "--user", "lead-scjg", "--actor", "lead-scjg")
    assert code == 0, output
    token = stdout.strip().splitlines()[-1]
    engine = make_engine(cli_db)
    try:
        client = TestClient(create_app(Settings(), uow_factory=lambda: UnitOfWork(engine)))
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/regulator/plans", headers=auth).status_code == 200
        with UnitOfWork(engine) as uow:
            stored = list(uow.session.execute(select(TokenRow.token_hash, TokenRow.role, TokenRow.subject)))
            hashed = uow.session.execute(select(UserRow.password_hash)).scalar_one()
            actors = list(uow.session.execute(select(AuditRow.actor).order_by(AuditRow.seq)).scalars())
        assert len(stored) == 1 and stored[0][1:] == ("lead", "lead-scjg") and token not in stored[0][0]
        assert hashed.startswith("$argon2id$") and PASSWORD not in hashed  # argon2id, never the password
        assert actors[-1].startswith("user#") and actors[-1].endswith(
            ":lead-scjg"
        )  # --actor names the account

        code, listed, _ = _invoke("token", "list")
        assert code == 0 and "lead-scjg" in listed and "active" in listed and token not in listed
        token_id = listed.split("\t")[0]
        assert _invoke("token", "revoke", token_id)[0] == 0
        assert "revoked" in _invoke("token", "list")[1]
        assert client.get("/api/regulator/plans", headers=auth).status_code == 401
    finally:
        engine.dispose()


def test_tokens_for_made_up_subjects_are_refused(cli_db: str) -> None:
    code, _, output = _invoke("token", "create", "--user", "NOSUCHDEPT")
    assert code == 1 and "no account named 'nosuchdept'" in output
    code, _, output = _invoke("user", "create", "nosuch", "--role", "department", "--department", "NOSUCHDEPT",
                              input=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert code == 1 and "no department 'NOSUCHDEPT'" in output
    code, _, output = _invoke("user", "create", "ghost", "--role", "inspector", "--officer", "SCJG-999",
                              input=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert code == 1 and "no officer 'SCJG-999'" in output


def test_unknown_role_is_refused(cli_db: str) -> None:
    code, _, output = _invoke("user", "create", "root", "--role", "root", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 1 and "role must be one of lead, department, inspector, credit" in output


def test_the_password_is_asked_not_echoed_and_disable_ends_tokens(cli_db: str) -> None:
    code, _, output = _invoke("user", "create", "xf", "--role", "department", "--department", "XF",
                              input=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert code == 0 and PASSWORD not in output
    token = _invoke("token", "create", "--user", "xf", "--days", "1")[1].strip().splitlines()[-1]
    assert "xf\tdepartment\tXF\tenabled" in _invoke("user", "list")[1]
    assert _invoke("user", "disable", "xf")[0] == 0
    assert "disabled" in _invoke("user", "list")[1] and "revoked" in _invoke("token", "list")[1]
    code, _, output = _invoke("token", "create", "--user", "xf")
    assert code == 1 and "disabled" in output
    code, _, output = _invoke("user", "disable", "xf", "--actor", "nobody-here")
    assert code == 1 and "no enabled account named 'nobody-here'" in output
    assert token
