"""The inspector's pages without a browser: the result form refuses a bad file before anything is written,
another officer's visit is not found, and the pages need an inspector's sign-in."""

from __future__ import annotations

from spotcheck.queries.assignments import result_state
from spotcheck.queries.attachments import attachments
from tests.e2e.conftest import World

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _sign_in(world: World, who: str) -> None:
    assert world.client.post("/inspector/login", data={"token": world.tokens[who]}).status_code == 200


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


def test_a_bad_file_on_the_form_writes_nothing(world: World) -> None:
    visit = world.visits["solo"]
    _sign_in(world, "scjg004")
    response = world.client.post(
        f"/inspector/visits/{visit}/result",
        data={"category": "no_problem", "findings": "ok"},
        files=[("files", ("photo.jpg", b"<html>not a photo</html>", "image/jpeg"))],
    )
    assert response.status_code == 422 and "not a JPEG, PNG, HEIC photo or a PDF" in response.text
    with world.uow_factory() as uow:
        assert result_state(uow, visit, "SCJG") == "unrecorded" and attachments(uow, visit, "SCJG") == []


def test_the_form_records_a_result_with_its_files(world: World) -> None:
    visit = world.visits["solo"]
    _sign_in(world, "scjg004")
    response = world.client.post(
        f"/inspector/visits/{visit}/result",
        data={"category": "未发现问题", "findings": "正常"},
        files=[("files", ("a.png", PNG, "image/png")), ("files", ("b.png", PNG, "image/png"))],
    )
    assert response.status_code == 200 and "待审核" in response.text  # after the redirect to the visit
    with world.uow_factory() as uow:
        assert [f.filename for f in attachments(uow, visit, "SCJG")] == ["a.png", "b.png"]


def test_the_form_without_a_file_records_the_result(world: World) -> None:
    visit = world.visits["solo"]
    _sign_in(world, "scjg004")
    response = world.client.post(
        f"/inspector/visits/{visit}/result",
        data={"category": "no_problem"},
        files=[("files", ("", b"", "application/octet-stream"))],  # a browser's empty file input
    )
    assert response.status_code == 200
    with world.uow_factory() as uow:
        assert result_state(uow, visit, "SCJG") == "pending_review" and attachments(uow, visit, "SCJG") == []


def test_a_regulator_cookie_cannot_post_the_form(world: World) -> None:
    world.client.post("/dashboard/login", data={"token": world.tokens["regulator"]})
    response = world.client.post(
        f"/inspector/visits/{world.visits['solo']}/result", data={"category": "no_problem"}
    )
    assert response.status_code == 401
