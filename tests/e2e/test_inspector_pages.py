"""The inspector's pages without a browser: the result form refuses a bad file before anything is written,
another officer's visit is not found, the pages need an inspector account's sign-in, the form needs the
session's CSRF token, and the audit chain names the account that recorded."""

from __future__ import annotations

import re
from typing import Any

import pytest
from httpx2 import Response
from sqlalchemy import select

from spotcheck.queries.assignments import result_state
from spotcheck.queries.attachments import attachments
from spotcheck.store.tables import AuditRow, ResultRow
from tests.e2e.conftest import World

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _sign_in(world: World, who: str) -> None:
    assert world.sign_in("/inspector", who).status_code == 200  # after the redirect to /inspector


@pytest.fixture
def visit(world: World) -> str:
    """The solo visit, its officer (scjg004) signed in on the inspector's pages."""
    _sign_in(world, "scjg004")
    return world.visits["solo"]


def _csrf(world: World, visit: str) -> str:
    """The CSRF token the visit page's form carries (the session's own)."""
    found = re.search(
        r'name="csrf_token" value="([^"]+)"', world.client.get(f"/inspector/visits/{visit}").text
    )
    assert found is not None
    return found.group(1)


def _post_form(world: World, visit: str, data: dict[str, str], **kwargs: Any) -> Response:
    """Post the visit page's result form as the browser does: with the session's CSRF token."""
    return world.client.post(
        f"/inspector/visits/{visit}/result", data={**data, "csrf_token": _csrf(world, visit)}, **kwargs
    )


def test_a_visit_page_needs_the_officers_sign_in(world: World) -> None:
    assert world.client.get(f"/inspector/visits/{world.visits['solo']}").status_code == 401
    _sign_in(world, "scjg004")
    page = world.client.get(f"/inspector/visits/{world.visits['solo']}")
    assert page.status_code == 200 and "企业公示信息检查" in page.text and "兰山区" in page.text
    assert world.client.get(f"/inspector/visits/{world.visits['joint']}").status_code == 404


def test_earlier_quarters_sit_behind_the_filter(world: World) -> None:
    _sign_in(world, "scjg002")
    current = world.client.get("/inspector").text
    assert world.visits["joint"] in current and world.visits["published"] not in current
    earlier = world.client.get("/inspector", params={"quarter": "2025-Q4"}).text
    assert world.visits["published"] in earlier and world.visits["joint"] not in earlier
    assert world.client.get("/inspector", params={"quarter": "2025-Q9"}).status_code == 422


def test_a_bad_file_on_the_form_writes_nothing(world: World, visit: str) -> None:
    not_a_photo = [("files", ("photo.jpg", b"<html>not a photo</html>", "image/jpeg"))]
    response = _post_form(world, visit, {"category": "no_problem", "findings": "ok"}, files=not_a_photo)
    assert response.status_code == 422 and "not a JPEG, PNG, HEIC photo or a PDF" in response.text
    with world.uow_factory() as uow:
        assert result_state(uow, visit, "SCJG") == "unrecorded" and attachments(uow, visit, "SCJG") == []


def test_the_form_records_a_result_with_its_files(world: World, visit: str) -> None:
    photos = [("files", ("a.png", PNG, "image/png")), ("files", ("b.png", PNG, "image/png"))]
    response = _post_form(world, visit, {"category": "未发现问题", "findings": "正常"}, files=photos)
    assert response.status_code == 200 and "待审核" in response.text  # after the redirect to the visit
    with world.uow_factory() as uow:
        assert [f.filename for f in attachments(uow, visit, "SCJG")] == ["a.png", "b.png"]


def test_the_form_without_a_file_records_the_result(world: World, visit: str) -> None:
    empty = [("files", ("", b"", "application/octet-stream"))]  # a browser's empty file input
    response = _post_form(world, visit, {"category": "no_problem"}, files=empty)
    assert response.status_code == 200
    with world.uow_factory() as uow:
        assert result_state(uow, visit, "SCJG") == "pending_review" and attachments(uow, visit, "SCJG") == []


def test_a_regulator_session_cannot_post_the_form(world: World) -> None:
    assert world.sign_in("/dashboard", "regulator").status_code == 200
    page = world.client.get("/dashboard").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None  # the regulator's own session token is no use here either
    response = world.client.post(
        f"/inspector/visits/{world.visits['solo']}/result",
        data={"category": "no_problem", "csrf_token": found.group(1)},
    )
    assert response.status_code == 401 and "执法人员登录" in response.text
    with world.uow_factory() as uow:
        assert result_state(uow, world.visits["solo"], "SCJG") == "unrecorded"


def test_the_form_without_the_sessions_csrf_token_is_refused(world: World, visit: str) -> None:
    for token in ("", "forged-token"):
        response = world.client.post(
            f"/inspector/visits/{visit}/result", data={"category": "no_problem", "csrf_token": token}
        )
        assert response.status_code == 403, token
    cross = _post_form(world, visit, {"category": "no_problem"}, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    with world.uow_factory() as uow:
        assert result_state(uow, visit, "SCJG") == "unrecorded"


def test_the_audit_chain_names_the_account_that_recorded(world: World, visit: str) -> None:
    response = _post_form(
        world, visit, {"category": "no_problem"}, files=[("files", ("a.png", PNG, "image/png"))]
    )
    assert response.status_code == 200
    with world.uow_factory() as uow:
        user = uow.users.by_name("scjg004")
        assert user is not None
        actor = f"user#{user.id}:scjg004"
        kinds = uow.session.execute(select(AuditRow.action, AuditRow.actor).order_by(AuditRow.seq)).all()
        assert [(k, a) for k, a in kinds if k in ("result", "attachment")] == [
            ("result", actor),
            ("attachment", actor),
        ]
        recorded = uow.session.execute(select(ResultRow.recorded_by).where(ResultRow.visit_id == visit))
        assert recorded.scalar_one() == actor
        assert [f.uploaded_by for f in attachments(uow, visit, "SCJG")] == [actor]
