"""Signing in with a password: argon2id stored, throttled per account and per address (the app's clock is
injected, nothing sleeps), the same answer for an unknown user and a wrong password, CSRF on every form,
sessions that expire, idle out, end at sign-out and when revoked, and the cookies' flags."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from spotcheck.domain.accounts import ACCOUNT_THROTTLE, ADDRESS_THROTTLE
from spotcheck.edge_auth import SESSION_COOKIE
from spotcheck.services.accounts import disable_user
from spotcheck.store.tables import SessionRow, UserRow
from tests.accounts import PASSWORD
from tests.e2e.conftest import World


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _clock(world: World) -> Clock:
    clock = Clock()
    world.client.app.state.clock = clock  # type: ignore[attr-defined]
    return clock


def _signed_in(world: World) -> bool:
    return world.client.get("/dashboard").status_code == 200


def test_only_an_argon2id_hash_is_stored(world: World) -> None:
    with world.uow_factory() as uow:
        hashes = list(uow.session.execute(select(UserRow.password_hash)).scalars())
    people = [h for h in hashes if h is not None]
    assert people and all(h.startswith("$argon2id$") and PASSWORD not in h for h in people)


def test_sign_in_opens_a_session_with_safe_cookie_flags(world: World) -> None:
    _clock(world)
    page = world.sign_in("/dashboard", "regulator")
    assert page.status_code == 200 and "一单两库" in page.text
    cookie = page.history[0].headers["set-cookie"].lower()
    assert cookie.startswith(SESSION_COOKIE) and "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie  # plain http in the test client
    assert world.client.cookies[SESSION_COOKIE] not in str(_session_hashes(world))  # only its hash is kept


def test_cookies_are_secure_over_https(world: World) -> None:
    form = world.client.get("https://testserver/dashboard")
    assert "secure" in form.headers["set-cookie"].lower()


def _session_hashes(world: World) -> list[str]:
    with world.uow_factory() as uow:
        return list(uow.session.execute(select(SessionRow.id_hash)).scalars())


def test_unknown_user_and_wrong_password_answer_alike(world: World) -> None:
    _clock(world)
    wrong = world.sign_in("/dashboard", "regulator", "not the password at all")
    unknown = world.sign_in("/dashboard", "nobody-at-all", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.text.count("wrong username or password") == 1
    strip = lambda text: text.split('name="csrf_token" value="')[0]
    assert strip(wrong.text) == strip(unknown.text)


def test_sign_in_is_throttled_per_account(world: World) -> None:
    clock = _clock(world)
    for _ in range(ACCOUNT_THROTTLE.threshold):
        assert world.sign_in("/dashboard", "regulator", "guess guess guess").status_code == 401
    locked = world.sign_in("/dashboard", "regulator")  # the right password, but locked
    assert locked.status_code == 401 and not _signed_in(world)
    clock.advance(seconds=ACCOUNT_THROTTLE.base + 1)
    assert world.sign_in("/dashboard", "regulator").status_code == 200


def test_sign_in_is_throttled_per_address(world: World) -> None:
    clock = _clock(world)
    for n in range(ADDRESS_THROTTLE.threshold):
        world.sign_in("/dashboard", f"someone-{n}", "guess guess guess")  # a different name every time
    assert world.sign_in("/dashboard", "xf").status_code == 401  # this address is locked out
    clock.advance(seconds=ADDRESS_THROTTLE.base + 1)
    assert world.sign_in("/dashboard", "xf").status_code == 200


def test_a_cross_site_post_is_refused(world: World) -> None:
    _clock(world)
    form = world.client.get("/dashboard")
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    data = {"username": "regulator", "password": PASSWORD}
    assert world.client.post("/dashboard/login", data=data).status_code == 403  # no token
    forged = world.client.post(
        "/dashboard/login", data=data | {"csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    world.client.cookies.clear()  # a forged form cannot carry the victim's double-submit cookie
    assert world.client.post("/dashboard/login", data=data | {"csrf_token": token}).status_code == 403
    assert world.sign_in("/dashboard", "regulator").status_code == 200
    assert world.client.post("/dashboard/logout").status_code == 403  # sign-out needs the session's token
    assert _signed_in(world)


def test_sign_out_revokes_the_session_on_the_server(world: World) -> None:
    _clock(world)
    world.sign_in("/dashboard", "regulator")
    stolen = world.client.cookies[SESSION_COOKIE]
    world.sign_out("/dashboard")
    world.client.cookies.set(SESSION_COOKIE, stolen)  # a copy of the cookie is worth nothing now
    assert not _signed_in(world)


def test_sessions_idle_out_and_expire(world: World) -> None:
    clock = _clock(world)
    world.sign_in("/dashboard", "regulator")
    for _ in range(20):  # active every 25 minutes: kept alive by use...
        clock.advance(minutes=25)
        if not _signed_in(world):
            break
    lived = clock.now - datetime(2026, 1, 5, 9)
    assert timedelta(hours=8) < lived <= timedelta(hours=8, minutes=25)  # ...but never past 8 hours
    assert not _signed_in(world)
    world.sign_in("/dashboard", "regulator")
    clock.advance(minutes=31)
    assert not _signed_in(world)  # idle for longer than 30 minutes


def test_disabling_an_account_ends_its_sessions_and_tokens(world: World) -> None:
    clock = _clock(world)
    world.sign_in("/dashboard", "regulator")
    assert _signed_in(world)
    disable_user(world.uow_factory(), "regulator", actor="test", now=clock.now)
    assert not _signed_in(world)
    assert world.client.get("/api/regulator/plans", headers=world.auth("regulator")).status_code == 401
    assert world.sign_in("/dashboard", "regulator").status_code == 401


def test_the_credit_system_cannot_sign_in_with_a_password(world: World) -> None:
    _clock(world)
    assert world.sign_in("/dashboard", "credit", PASSWORD).status_code == 401


def test_the_sign_in_address_opened_in_a_browser_leads_to_the_form(world: World) -> None:
    """After a refused sign-in the browser's address is ``{home}/login``; opening it again (a reload after the
    form, a bookmark) leads to the page and its form, not to a bare 405."""
    for home in ("/inspector", "/regulator", "/dashboard"):
        answer = world.client.get(f"{home}/login", headers={"Accept": "text/html"}, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == home, home
        assert 'name="password"' in world.client.get(f"{home}/login").text
