"""Every protected router answers 401 without a valid token and 403 to a token of another role."""

from __future__ import annotations

from spotcheck.api.deps import NOT_AUTHENTICATED, WRONG_ROLE
from spotcheck.store.base import utcnow
from tests.e2e.conftest import World

PROTECTED = {
    "regulator": [("GET", "/api/regulator/directories"), ("GET", "/api/regulator/plans")],
    "inspector": [("GET", "/api/inspector/assignments")],
    "credit": [("GET", "/api/credit/feed"), ("POST", "/api/credit/tiers")],
}
ALL = [(role, method, path) for role, calls in PROTECTED.items() for method, path in calls]


def test_no_token_is_401(world: World) -> None:
    for _, method, path in ALL:
        response = world.client.request(method, path)
        assert response.status_code == 401, path
        assert response.json() == {"detail": NOT_AUTHENTICATED}
        assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_token_is_401(world: World) -> None:
    for _, method, path in ALL:
        response = world.client.request(method, path, headers={"Authorization": "Bearer not-a-real-token"})
        assert response.status_code == 401, path


def test_wrong_role_is_403(world: World) -> None:
    for role, method, path in ALL:
        other = {"regulator": "credit", "inspector": "regulator", "credit": "scjg002"}[role]
        response = world.client.request(method, path, headers=world.auth(other))
        assert response.status_code == 403, path
        assert response.json() == {"detail": WRONG_ROLE}


def test_revoked_token_is_401(world: World) -> None:
    assert world.client.get("/api/regulator/plans", headers=world.auth("regulator")).status_code == 200
    with world.uow_factory() as uow:
        row = uow.tokens.find(world.tokens["regulator"], now=utcnow())
        assert row is not None
        uow.tokens.revoke(row.id, now=utcnow())
        uow.commit()
    assert world.client.get("/api/regulator/plans", headers=world.auth("regulator")).status_code == 401


def test_only_the_hash_of_a_token_is_stored(world: World) -> None:
    from sqlalchemy import select

    from spotcheck.store.tables import TokenRow

    with world.uow_factory() as uow:
        stored = list(uow.session.execute(select(TokenRow.token_hash)).scalars())
    assert stored and not set(world.tokens.values()) & set(stored)
