"""Error answers: fixed detail strings, no traceback, no SQL, and a bare "internal error" for the unexpected."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from spotcheck.api import create_app
from spotcheck.api.errors import STATUS
from spotcheck.config import Settings
from spotcheck.domain.errors import InfeasiblePlan, NotFound, SpotcheckError, ValidationError
from spotcheck.store.errors import StorageError
from spotcheck.store.uow import UnitOfWork


def _client(uow_factory: Callable[[], UnitOfWork], exc: Exception) -> TestClient:
    app = create_app(Settings(), uow_factory=uow_factory)

    @app.get("/boom")
    def boom() -> None:
        raise exc

    return TestClient(app, raise_server_exceptions=False)


def test_unexpected_error_says_only_internal_error(uow_factory: Callable[[], UnitOfWork]) -> None:
    response = _client(uow_factory, RuntimeError("password=hunter2 at /srv/spotcheck/db.py")).get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error"}


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_an_unexpected_error_carries_the_headers_of_every_answer(
    uow_factory: Callable[[], UnitOfWork], accept: str
) -> None:
    client = _client(uow_factory, RuntimeError("password=hunter2 at /srv/spotcheck/db.py"))
    response = client.get("/boom", headers={"Accept": accept})
    assert response.status_code == 500 and "hunter2" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    if accept == "text/html":  # a browser gets the error page, in Chinese first
        assert "500 · 内部错误" in response.text


@pytest.mark.parametrize(("cls", "status", "detail"), STATUS)
def test_each_domain_error_has_its_status(
    uow_factory: Callable[[], UnitOfWork], cls: type[SpotcheckError], status: int, detail: str
) -> None:
    response = _client(uow_factory, cls("why")).get("/boom")
    assert response.status_code == status
    assert response.json()["detail"] == detail


def test_storage_errors_do_not_echo_the_database(uow_factory: Callable[[], UnitOfWork]) -> None:
    response = _client(uow_factory, StorageError('relation "api_tokens" does not exist')).get("/boom")
    assert response.json() == {"detail": "storage unavailable"}


def test_validation_error_lists_problems(uow_factory: Callable[[], UnitOfWork]) -> None:
    from spotcheck.domain.errors import Problem

    exc = ValidationError("bad file", [Problem(3, "tier", "unknown tier E")])
    body = _client(uow_factory, exc).get("/boom").json()
    assert body == {
        "detail": "invalid input",
        "message": "bad file",
        "problems": [{"line": 3, "field": "tier", "reason": "unknown tier E"}],
        "problem_count": 1,
    }


def test_infeasible_plan_names_the_binding_input(uow_factory: Callable[[], UnitOfWork]) -> None:
    exc = InfeasiblePlan("coverage 3% < 5%", binding="ratios of T-1", shortfall="120 firms")
    body = _client(uow_factory, exc).get("/boom").json()
    assert body["binding"] == "ratios of T-1" and body["shortfall"] == "120 firms"


def test_request_validation_is_422_with_fields(uow_factory: Callable[[], UnitOfWork]) -> None:
    client = _client(uow_factory, NotFound("x"))
    response = client.get("/api/public/enterprises", params={"q": "x"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"].endswith("q")
