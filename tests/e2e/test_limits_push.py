"""Tier pushes with bad input: a clear 4xx naming line and column, a short answer however bad the push, and no
temporary folder left behind (docs/api.md "Limits")."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from spotcheck.api import credit
from spotcheck.api.push_cells import MAX_CELL
from spotcheck.api.spool import FOLDER_PREFIX
from spotcheck.domain.errors import LISTED_PROBLEMS
from spotcheck.store.tables import TierRow
from tests.conftest import make_code
from tests.e2e.conftest import World

HEADER = "uscc,tier,effective,batch\n"
CSV = {"Content-Type": "text/csv"}
JSONL = {"Content-Type": "application/x-ndjson"}


def _tiers(world: World) -> int:
    with world.uow_factory() as uow:
        return int(uow.session.execute(select(func.count()).select_from(TierRow)).scalar_one())


def _push(world: World, body: str | bytes, headers: dict[str, str]) -> dict[str, object]:
    content = body.encode() if isinstance(body, str) else body
    response = world.client.post(
        "/api/credit/tiers", content=content, headers={**world.auth("credit"), **headers}
    )
    assert response.status_code == 422, response.text
    return dict(response.json())


def _row(n: int, *, batch: str = "L1", tier: str = "B") -> str:
    return f"{make_code(n)},{tier},2026-05-01,{batch}\n"


@pytest.fixture(autouse=True)
def _own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pushes spool under this test's folder, so that a folder left behind is seen."""
    root = tmp_path / "spool"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _left_behind(root: Path) -> list[Path]:
    return list(root.glob(f"{FOLDER_PREFIX}*"))


def test_csv_cell_over_the_csv_readers_limit_is_named_by_line_and_column(world: World) -> None:
    before = _tiers(world)
    body = _push(world, HEADER + _row(5) + f"{make_code(6)},B,2026-05-01,{'x' * 131_073}\n", CSV)
    assert body["problems"] == [{"line": 3, "field": "batch", "reason": "line longer than 4096 characters"}]
    assert _tiers(world) == before


def test_csv_cell_longer_than_stored_is_named(world: World) -> None:
    body = _push(world, HEADER + _row(5, batch="b" * 500), CSV)
    assert body["problems"] == [{"line": 2, "field": "batch", "reason": f"longer than {MAX_CELL} characters"}]


def test_jsonl_field_over_the_limit_is_named(world: World) -> None:
    lines = [
        {"uscc": make_code(5), "tier": "B", "effective": "2026-05-01", "batch": "J"},
        {"uscc": make_code(6), "tier": "B", "effective": "2026-05-01", "batch": "J" * 131_073},
    ]
    body = _push(world, "\n".join(json.dumps(x) for x in lines) + "\n", JSONL)
    assert body["problems"] == [{"line": 2, "field": "batch", "reason": "line longer than 4096 bytes"}]


def test_jsonl_batch_id_too_long_is_named(world: World) -> None:
    line = {"uscc": make_code(5), "tier": "B", "effective": "2026-05-01", "batch": "J" * 500}
    body = _push(world, json.dumps(line) + "\n", JSONL)
    assert body["problems"] == [{"line": 1, "field": "batch", "reason": f"longer than {MAX_CELL} characters"}]


def test_nul_in_a_csv_cell_is_refused(world: World) -> None:
    before = _tiers(world)
    body = _push(world, HEADER + _row(5, batch="B\x00X"), CSV)
    assert body["problems"] == [{"line": 2, "field": "batch", "reason": "contains a NUL character"}]
    assert _tiers(world) == before


def test_nul_in_a_json_line_is_refused(world: World) -> None:
    line = {"uscc": make_code(5), "tier": "B\x00", "effective": "2026-05-01", "batch": "J"}
    body = _push(world, json.dumps(line) + "\n", JSONL)
    assert body["problems"] == [{"line": 1, "field": "tier", "reason": "contains a NUL character"}]


@pytest.mark.parametrize(("body", "headers"), [(HEADER, CSV), (HEADER + ",,,\n", CSV), (b"\n\n", JSONL)])
def test_header_only_push_is_refused(world: World, body: str | bytes, headers: dict[str, str]) -> None:
    before = _tiers(world)
    answer = _push(world, body, headers)
    assert str(answer["message"]).startswith("no rows")
    assert _tiers(world) == before


def test_all_bad_push_lists_the_first_problems_and_counts_all(world: World) -> None:
    bad = LISTED_PROBLEMS * 3
    body = HEADER + "".join(_row(n, batch="\x00") for n in range(bad))
    answer = _push(world, body, CSV)
    assert answer["problem_count"] == bad
    problems = answer["problems"]
    assert isinstance(problems, list) and len(problems) == LISTED_PROBLEMS
    assert problems[0]["line"] == 2 and problems[-1]["line"] == LISTED_PROBLEMS + 1


def test_all_bad_rows_found_by_the_use_case_are_capped_too(world: World) -> None:
    bad = LISTED_PROBLEMS + 7
    answer = _push(world, HEADER + "".join(_row(n, tier="Q") for n in range(5, 5 + bad)), CSV)
    assert answer["problem_count"] == bad
    assert isinstance(answer["problems"], list) and len(answer["problems"]) == LISTED_PROBLEMS


def test_a_failure_mid_push_leaves_no_folder(
    world: World, _own_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []

    def crash(uow: object, path: Path, *, actor: str) -> None:
        seen.append(path)
        assert path.exists()
        raise OSError("disk gone mid-push")

    monkeypatch.setattr(credit, "append_tier_file", crash)
    response = world.client.post(
        "/api/credit/tiers", content=(HEADER + _row(5)).encode(), headers={**world.auth("credit"), **CSV}
    )
    assert response.status_code == 500 and response.json() == {"detail": "internal error"}
    assert seen and not seen[0].parent.exists()
    assert _left_behind(_own_temp) == []


def test_refused_pushes_leave_no_folder(world: World, _own_temp: Path) -> None:
    _push(world, HEADER + _row(5, batch="\x00"), CSV)
    _push(world, HEADER, CSV)
    assert _left_behind(_own_temp) == []
