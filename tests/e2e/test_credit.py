"""/api/credit: tier pushes (CSV and JSON lines) appended as history, all-or-nothing; the results feed read
with a cursor, so a retry neither loses nor repeats an entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from spotcheck.domain.errors import ValidationError
from spotcheck.services.tiers import append_tier_file
from spotcheck.store.tables import AuditRow, TierRow
from tests.conftest import REAL_CODES, make_code
from tests.e2e.conftest import World


def _tiers(world: World) -> int:
    with world.uow_factory() as uow:
        return int(uow.session.execute(select(func.count()).select_from(TierRow)).scalar_one())


def test_csv_push_appends_a_batch(world: World) -> None:
    before = _tiers(world)
    body = "uscc,tier,effective,batch\n" + "".join(
        f"{code},D,2026-03-01,B2026-03\n" for code in (REAL_CODES[0], make_code(5), make_code(6))
    )
    response = world.client.post(
        "/api/credit/tiers",
        content=body.encode(),
        headers={**world.auth("credit"), "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"batch": "B2026-03", "received": 3, "appended": 3, "batches_written": 1}
    assert _tiers(world) == before + 3
    with world.uow_factory() as uow:
        last = uow.session.execute(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1)).scalar_one()
        client = uow.users.named("credit")
        assert (last.action, last.actor) == ("tier_batch", f"user#{client.id}:credit")  # the account acted


def test_jsonl_push_streams_lines(world: World) -> None:
    lines = [
        json.dumps({"uscc": make_code(n), "tier": "A", "effective": "2026-03-01", "batch": "J1"})
        for n in range(7, 12)
    ]
    response = world.client.post(
        "/api/credit/tiers",
        content=("\n".join(lines) + "\n").encode(),
        headers={**world.auth("credit"), "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["appended"] == 5


def test_bad_rows_append_nothing_and_are_all_named(world: World) -> None:
    before = _tiers(world)
    body = (
        "uscc,tier,effective,batch\n"
        f"{make_code(5)},A,2026-03-01,B9\n"
        f"{make_code(6)},E,2026-03-01,B9\n"
        "91350200776049653B,A,2026-03-01,B9\n"
    )
    response = world.client.post(
        "/api/credit/tiers",
        content=body.encode(),
        headers={**world.auth("credit"), "Content-Type": "text/csv"},
    )
    assert response.status_code == 422
    lines = sorted(p["line"] for p in response.json()["problems"])
    assert lines == [3, 4]
    assert _tiers(world) == before


def test_bad_json_line_is_named(world: World) -> None:
    response = world.client.post(
        "/api/credit/tiers",
        content=b'{"uscc": 1}\nnot json\n',
        headers={**world.auth("credit"), "Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["line"] in (1, 2)


def test_empty_push_is_refused(world: World) -> None:
    response = world.client.post("/api/credit/tiers", content=b"", headers=world.auth("credit"))
    assert response.status_code == 422


def test_feed_pages_with_a_cursor(world: World) -> None:
    first = world.client.get("/api/credit/feed", params={"limit": 2}, headers=world.auth("credit")).json()
    assert first["count"] == 2
    again = world.client.get("/api/credit/feed", params={"limit": 2}, headers=world.auth("credit")).json()
    assert again == first  # a retry from the same cursor sees the same entries
    rest = world.client.get(
        "/api/credit/feed", params={"after": first["next_cursor"]}, headers=world.auth("credit")
    ).json()
    cursors = [e["cursor"] for e in first["data"] + rest["data"]]
    assert len(cursors) == 3 and cursors == sorted(set(cursors))
    done = world.client.get(
        "/api/credit/feed", params={"after": rest["next_cursor"]}, headers=world.auth("credit")
    ).json()
    assert done["count"] == 0 and done["next_cursor"] == rest["next_cursor"]


def _file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "push" / "tiers.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text("uscc,tier,effective,batch\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_chunked_push_appends_every_chunk(world: World, tmp_path: Path) -> None:
    before = _tiers(world)
    rows = [f"{make_code(n)},C,2026-04-01,K1" for n in range(5, 10)]
    with world.uow_factory() as uow:
        report = append_tier_file(uow, _file(tmp_path, rows), actor="credit:test", chunk_rows=2)
    assert (report.received, report.appended) == (5, 5)
    assert _tiers(world) == before + 5


def test_chunked_push_names_lines_across_chunks_and_appends_nothing(world: World, tmp_path: Path) -> None:
    before = _tiers(world)
    rows = [f"{make_code(n)},C,2026-04-01,K2" for n in range(5, 10)]
    rows[3] = f"{make_code(8)},Z,2026-04-01,K2"  # line 5, in the second chunk
    rows.append(f"{make_code(999)},D,2026-04-01,K2")  # line 7, third chunk: a firm not in the directory
    with world.uow_factory() as uow, pytest.raises(ValidationError) as caught:
        append_tier_file(uow, _file(tmp_path, rows), actor="credit:test", chunk_rows=2)
    assert [p.line for p in caught.value.problems] == [5, 7]
    assert _tiers(world) == before


def test_chunked_push_finds_a_row_repeated_in_a_later_chunk(world: World, tmp_path: Path) -> None:
    rows = [f"{make_code(n)},C,2026-04-01,K3" for n in range(5, 8)] + [f"{make_code(5)},D,2026-04-01,K3"]
    with world.uow_factory() as uow, pytest.raises(ValidationError) as caught:
        append_tier_file(uow, _file(tmp_path, rows), actor="credit:test", chunk_rows=2)
    assert [p.line for p in caught.value.problems] == [5]
