"""Attachments to an inspector's result through /api/inspector: photos and PDFs recognised by their first bytes,
bounded in size and number, stored with their SHA-256, and only on the officer's own visit and department."""

from __future__ import annotations

import hashlib

from spotcheck.domain.attachments import MAX_BYTES, MAX_FILES
from spotcheck.queries.attachments import attachments
from tests.e2e.conftest import World

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"photo" * 50
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"%" * 64
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"


def _record(world: World, who: str, visit: str) -> None:
    response = world.client.post(
        f"/api/inspector/assignments/{visit}/result",
        json={"category": "发现问题待后续处理", "findings": "消防通道堵塞"},
        headers=world.auth(who),
    )
    assert response.status_code == 201, response.text


def _upload(world: World, who: str, visit: str, files: list[tuple[str, bytes]], query: str = ""):  # type: ignore[no-untyped-def]
    return world.client.post(
        f"/api/inspector/assignments/{visit}/result/attachments{query}",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        headers=world.auth(who),
    )


def test_photos_and_a_pdf_are_stored_with_their_sha256(world: World) -> None:
    visit = world.visits["solo"]
    _record(world, "scjg004", visit)
    response = _upload(
        world, "scjg004", visit, [("a.jpg", JPEG), ("b.png", PNG), ("c.pdf", PDF), ("d.heic", HEIC)]
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["count"] == 4
    assert [f["media_type"] for f in body["data"]] == [
        "image/jpeg",
        "image/png",
        "application/pdf",
        "image/heic",
    ]
    assert [f["sha256"] for f in body["data"]] == [
        hashlib.sha256(d).hexdigest() for d in (JPEG, PNG, PDF, HEIC)
    ]
    with world.uow_factory() as uow:  # what the reviewer's queue reads
        stored = attachments(uow, visit, "SCJG")
    assert [f.sha256 for f in stored] == [f["sha256"] for f in body["data"]]
    first = body["data"][0]
    got = world.client.get(
        f"/api/inspector/assignments/{visit}/result/attachments/{first['id']}", headers=world.auth("scjg004")
    )
    assert got.status_code == 200 and got.content == JPEG and got.headers["content-type"] == "image/jpeg"


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_whatever_its_name(world: World) -> None:
    visit = world.visits["solo"]
    _record(world, "scjg004", visit)
    for name, data in [
        ("photo.jpg", b"<html><script>alert(1)</script>"),
        ("x.png", b"GIF89a" + b"\x00" * 20),
    ]:
        response = _upload(world, "scjg004", visit, [(name, data)])
        assert (
            response.status_code == 422
            and "not a JPEG, PNG, HEIC photo or a PDF" in response.json()["message"]
        )
    empty = _upload(world, "scjg004", visit, [("empty.jpg", b"")])
    assert empty.status_code == 422
    with world.uow_factory() as uow:
        assert attachments(uow, visit, "SCJG") == []


def test_a_file_over_10_mb_is_refused_and_nothing_is_stored(world: World) -> None:
    visit = world.visits["solo"]
    _record(world, "scjg004", visit)
    response = _upload(world, "scjg004", visit, [("big.jpg", JPEG + b"\x00" * (MAX_BYTES + 1 - len(JPEG)))])
    assert response.status_code == 422 and "larger than 10 MB" in response.json()["message"]
    with world.uow_factory() as uow:
        assert attachments(uow, visit, "SCJG") == []


def test_a_body_over_the_route_limit_is_413_before_it_is_read(world: World) -> None:
    response = world.client.post(
        f"/api/inspector/assignments/{world.visits['solo']}/result/attachments",
        content=b"x" * 16,
        headers=world.auth("scjg004")
        | {"content-type": "multipart/form-data; boundary=x", "content-length": str(60 * 1024**2)},
    )
    assert response.status_code == 413


def test_more_than_five_files_per_result_are_refused(world: World) -> None:
    visit = world.visits["solo"]
    _record(world, "scjg004", visit)
    assert _upload(world, "scjg004", visit, [("a.jpg", JPEG)] * 3).status_code == 201
    response = _upload(world, "scjg004", visit, [("b.jpg", JPEG)] * (MAX_FILES - 2))
    assert response.status_code == 422 and "at most 5 attachments" in response.json()["message"]
    with world.uow_factory() as uow:
        assert len(attachments(uow, visit, "SCJG")) == 3


def test_attaching_needs_a_recorded_result_awaiting_review(world: World) -> None:
    response = _upload(world, "scjg004", world.visits["solo"], [("a.jpg", JPEG)])
    assert response.status_code == 422 and "record it first" in response.json()["message"]


def test_another_officers_visit_is_404(world: World) -> None:
    visit = world.visits["joint"]  # SCJG-002's and XF-002's, not SCJG-004's
    _record(world, "scjg002", visit)
    response = _upload(world, "scjg004", visit, [("a.jpg", JPEG)])
    assert response.status_code == 404 and response.json()["detail"] == "not found"
    listed = world.client.get(
        f"/api/inspector/assignments/{visit}/result/attachments", headers=world.auth("scjg004")
    )
    assert listed.status_code == 404


def test_another_department_is_403(world: World) -> None:
    visit = world.visits["joint"]
    _record(world, "scjg002", visit)
    response = _upload(world, "scjg002", visit, [("a.jpg", JPEG)], query="?department=XF")
    assert response.status_code == 403 and response.json()["detail"] == "forbidden"
    with world.uow_factory() as uow:
        assert attachments(uow, visit, "XF") == [] and attachments(uow, visit, "SCJG") == []


def test_the_xf_officer_attaches_to_xf_and_sees_only_xf_files(world: World) -> None:
    visit = world.visits["joint"]  # XF's result is already pending in the world
    assert _upload(world, "xf002", visit, [("x.pdf", PDF)]).status_code == 201
    _record(world, "scjg002", visit)
    assert _upload(world, "scjg002", visit, [("s.jpg", JPEG)]).status_code == 201
    xf = world.client.get(
        f"/api/inspector/assignments/{visit}/result/attachments", headers=world.auth("xf002")
    )
    assert [(f["department"], f["media_type"]) for f in xf.json()["data"]] == [("XF", "application/pdf")]


def test_a_regulator_or_anonymous_caller_cannot_upload(world: World) -> None:
    visit = world.visits["solo"]
    assert _upload(world, "regulator", visit, [("a.jpg", JPEG)]).status_code == 403
    anonymous = world.client.post(
        f"/api/inspector/assignments/{visit}/result/attachments",
        files=[("files", ("a.jpg", JPEG, "image/jpeg"))],
    )
    assert anonymous.status_code == 401
