"""Request bodies bounded per route before they are read, one error shape for every 4xx, documented on every
route, and dates accepted only as dates (docs/api.md "Limits", "Errors")."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest

from spotcheck.api.limits import DEFAULT_LIMIT, PUSH_LIMIT, TOO_LARGE, BodyLimit, limit_for
from spotcheck.api.push_cells import Problems
from spotcheck.api.schemas import ErrorPublic
from spotcheck.api.spool import spool_jsonl
from tests.e2e.conftest import World

Message = MutableMapping[str, Any]
MIB = 1024**2


class Body:
    """An ASGI ``receive`` that sends ``chunks`` chunks of 1 MiB and counts how many were asked for."""

    def __init__(self, chunks: int) -> None:
        self.chunks, self.read = chunks, 0

    async def __call__(self) -> Message:
        if self.read >= self.chunks:
            return {"type": "http.disconnect"}
        self.read += 1
        return {"type": "http.request", "body": b"x" * MIB, "more_body": self.read < self.chunks}


def _call(app: Any, method: str, path: str, body: Body, headers: dict[str, str]) -> tuple[int, bytes]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, body, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_routes_have_their_limits() -> None:
    assert limit_for("POST", "/api/credit/tiers") == PUSH_LIMIT
    assert limit_for("POST", "/api/regulator/plans/1/beacon") == DEFAULT_LIMIT
    assert limit_for("POST", "/api/inspector/assignments/v/result") == DEFAULT_LIMIT


def test_a_declared_length_over_the_limit_is_refused_unread(world: World) -> None:
    body = Body(200)
    status, answer = _call(
        world.client.app,
        "POST",
        "/api/inspector/assignments/x/result",
        body,
        {"content-length": str(200 * MIB), "content-type": "application/json"},
    )
    assert (status, body.read) == (413, 0)
    assert ErrorPublic.model_validate_json(answer).detail == TOO_LARGE


def test_a_streamed_body_is_cut_at_the_limit(world: World) -> None:
    body = Body(200)  # chunked: no length declared
    status, answer = _call(
        world.client.app, "POST", "/api/regulator/plans/1/beacon", body, {"content-type": "application/json"}
    )
    assert status == 413 and body.read == 1
    assert ErrorPublic.model_validate_json(answer).detail == TOO_LARGE


def test_an_anonymous_push_is_refused_before_its_body_is_read(world: World) -> None:
    body = Body(200)
    status, _ = _call(world.client.app, "POST", "/api/credit/tiers", body, {"content-type": "text/csv"})
    assert (status, body.read) == (401, 0)


def test_a_large_json_body_gets_413_over_http(world: World) -> None:
    response = world.client.post(
        "/api/regulator/plans/1/beacon",
        content=b"{" + b" " * DEFAULT_LIMIT + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["detail"] == TOO_LARGE
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_middleware_passes_bodies_within_the_limit() -> None:
    got: list[bytes] = []

    async def app(scope: Message, receive: Any, send: Any) -> None:
        got.append((await receive())["body"])

    body = Body(1)
    asyncio.run(
        BodyLimit(app, limit=lambda m, p: 2 * MIB)(
            {"type": "http", "method": "POST", "path": "/"}, body, None
        )
    )
    assert got == [b"x" * MIB]


def test_json_lines_split_across_chunks_are_read_and_over_long_ones_named(tmp_path: Path) -> None:
    good = b'{"uscc": "91350200776049653A", "tier": "A", "effective": "2026-01-01", "batch": "Z"}\n'
    long = b'{"uscc": "x", "batch": "' + b"y" * 10_000 + b'"}\n'
    data = good + long + good

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 7):
            yield data[start : start + 7]

    problems = Problems()
    rows = asyncio.run(spool_jsonl(chunks(), tmp_path / "t.csv", problems))
    assert rows == 3
    assert [(p.line, p.field) for p in problems.listed] == [(2, "batch")]
    written = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text())))
    assert len(written) == 3 and written[1] == written[2]


@pytest.mark.parametrize("today", ["0", "1700000000", "2026-13-01", "yesterday"])
def test_a_date_that_is_not_a_date_is_refused(world: World, today: str) -> None:
    response = world.client.get(
        f"/api/regulator/plans/{world.plans['inspecting']}/deadlines",
        params={"today": today},
        headers=world.auth("regulator"),
    )
    assert response.status_code == 422
    body = ErrorPublic.model_validate(response.json())
    assert body.problems and body.problems[0].field == "query.today"


def test_a_date_is_taken(world: World) -> None:
    response = world.client.get(
        f"/api/regulator/plans/{world.plans['inspecting']}/deadlines",
        params={"today": "2026-03-31"},
        headers=world.auth("regulator"),
    )
    assert response.status_code == 200


def test_every_error_answer_has_the_documented_shape(world: World) -> None:
    answers = [
        world.client.get("/api/regulator/plans"),  # 401
        world.client.get("/api/regulator/plans", headers=world.auth("credit")),  # 403
        world.client.get("/api/public/plans/999999"),  # 404
        world.client.get("/api/public/enterprises", params={"q": "x"}),  # 422
        world.client.post("/api/regulator/plans/1/beacon", content=b"x" * (DEFAULT_LIMIT + 1)),  # 413
    ]
    assert [a.status_code for a in answers] == [401, 403, 404, 422, 413]
    for answer in answers:
        assert set(answer.json()) <= set(ErrorPublic.model_fields)
        ErrorPublic.model_validate(answer.json())


def test_every_route_documents_its_errors(world: World) -> None:
    spec = world.client.get("/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorPublic"}
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status in ("401", "403", "404", "409", "413", "422"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == error, (method, path, status)
