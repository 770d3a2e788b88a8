"""How a checked tier push is appended (spotcheck/store/tier_staging.py): on PostgreSQL by COPY of the rows kept
in memory, less the batches applied before; a batch id already among the stored records (a tier file imported
before) leaves its stored rows alone; a large push sets the indexes aside and the schema after is the one
before. Both databases store the same rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from spotcheck.services.tiers import append_tier_file
from spotcheck.store import UnitOfWork, bulk_indexes, import_folder
from tests.conftest import make_code, write_tiny_city
from tests.integration.test_bulk_indexes import postgres_only, schema

UowFactory = Callable[[], UnitOfWork]
STORED = "SELECT uscc, tier, CAST(effective AS TEXT), batch FROM tier_records ORDER BY 1, 2, 3, 4"


def push(uow_factory: UowFactory, folder: Path, rows: list[str], **options: int) -> int:
    path = folder / "push" / "tiers.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text("uscc,tier,effective,batch\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    with uow_factory() as uow:
        return append_tier_file(uow, path, actor="credit:test", **options).appended


def stored(uow_factory: UowFactory) -> list[tuple[str, ...]]:
    with uow_factory() as uow:
        return [tuple(str(v) for v in r) for r in uow.session.execute(text(STORED))]


@pytest.fixture
def city(uow_factory: UowFactory, tmp_path: Path) -> Path:
    import_folder(uow_factory(), write_tiny_city(tmp_path / "city", firms=40))
    return tmp_path


def test_a_push_appends_its_rows_in_any_order_and_a_retry_appends_none(
    uow_factory: UowFactory, city: Path
) -> None:
    before = stored(uow_factory)
    rows = [f"{make_code(n)},{'ABCD'[n % 4]},2026-0{1 + n % 3}-01,P{n % 2}" for n in range(30, 2, -1)]
    assert push(uow_factory, city, rows, chunk_rows=7) == len(rows)
    expected = sorted(before + [tuple(r.split(",")) for r in rows])
    assert stored(uow_factory) == expected
    assert push(uow_factory, city, rows[5:] + rows[:5], chunk_rows=4) == 0
    newer = [f"{make_code(n)},A,2026-06-01,P2" for n in range(1, 4)]
    assert push(uow_factory, city, rows + newer, chunk_rows=9) == 3  # two batches applied before, one new
    assert stored(uow_factory) == sorted(expected + [tuple(r.split(",")) for r in newer])


def test_a_batch_imported_as_a_file_before_keeps_its_stored_rows(uow_factory: UowFactory, city: Path) -> None:
    before = stored(uow_factory)
    imported = [",".join(r) for r in before if r[3] == "B2025-12"]
    extra = f"{make_code(30)},B,2025-12-01,B2025-12"
    assert push(uow_factory, city, [*imported, extra]) == 1
    assert stored(uow_factory) == sorted([*before, tuple(extra.split(","))])


def test_a_large_push_sets_the_indexes_aside_and_leaves_the_schema_as_it_was(
    uow_factory: UowFactory, city: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres_only(uow_factory)
    before, rows_before = schema(uow_factory), stored(uow_factory)
    monkeypatch.setattr(bulk_indexes, "REBUILD_FROM", 1)  # every load counts as large
    rows = [f"{make_code(n)},D,2026-07-01,L1" for n in range(1, 39)]
    assert push(uow_factory, city, rows) == 38
    assert schema(uow_factory) == before
    assert stored(uow_factory) == sorted(rows_before + [tuple(r.split(",")) for r in rows])
