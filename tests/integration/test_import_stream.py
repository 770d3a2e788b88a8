"""The streamed import (spotcheck/store/import_columns.py) on SQLite and PostgreSQL, with blocks of a few rows:
a good file is written block by block with the row importer's counts, and a problem in any block (or a key
repeated across blocks) leaves nothing of the file written and the row importer naming it."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import spotcheck.store.import_columns as columnar
from spotcheck.domain.errors import ValidationError
from spotcheck.ingest import load_city
from spotcheck.store import UnitOfWork, city_from_store, import_file, import_folder, importer
from tests.conftest import make_code

UowFactory = Callable[[], UnitOfWork]
TIER_HEADER = ["uscc", "tier", "effective", "batch"]


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 600)  # about 5 firms or 14 tier records a block


def _rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _no_row_importer(monkeypatch: pytest.MonkeyPatch) -> None:
    by_rows = importer.import_parsed

    def refuse(uow: UnitOfWork, parsed: Any) -> Any:
        assert parsed.kind not in columnar.COLUMNAR_KINDS, "the row importer ran for a good file"
        return by_rows(uow, parsed)

    monkeypatch.setattr(importer, "import_parsed", refuse)


def _stored(uow_factory: UowFactory, kind: str) -> int:
    with uow_factory() as uow:
        return uow.directory.count(kind)


def test_a_city_streamed_in_blocks_is_stored_whole(
    uow_factory: UowFactory, tiny_city_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        _no_row_importer(patched)
        import_folder(uow_factory(), tiny_city_dir)
        again = {r.kind: r for r in import_folder(uow_factory(), tiny_city_dir)}
    assert (again["enterprises"].unchanged, again["tiers"].unchanged) == (30, 21)
    folder = load_city(tiny_city_dir)
    with uow_factory() as uow:
        assert city_from_store(uow, plan=folder.plan) == folder


def test_a_re_import_in_blocks_counts_added_updated_and_unchanged(
    uow_factory: UowFactory, tiny_city_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_folder(uow_factory(), tiny_city_dir)
    path = tiny_city_dir / "enterprises.csv"
    rows = _rows_of(path)
    rows[3][1] = "更名后的公司"  # the third firm, first block
    rows[28][8] = ""  # a registration date removed, a later block
    rows += [
        [make_code(600 + n), f"新公司{n}", "enterprise", "371302", "C", "active", "", "", ""]
        for n in range(7)
    ]
    _no_row_importer(monkeypatch)
    report = import_file(uow_factory(), "enterprises", _write(path, rows))
    assert (report.rows, report.added, report.updated, report.unchanged) == (37, 7, 2, 28)
    with uow_factory() as uow:
        firms = {f.uscc: f for f in uow.directory.all("enterprises")}
    assert firms[rows[3][0]].name == "更名后的公司" and firms[rows[28][0]].registered_on is None
    assert make_code(606) in firms


def test_a_bad_row_in_a_late_block_leaves_nothing_written(
    uow_factory: UowFactory, tiny_city_dir: Path
) -> None:
    import_folder(uow_factory(), tiny_city_dir)
    rows = [TIER_HEADER] + [[make_code(n), "B", "2026-03-01", "B3"] for n in range(1, 28)]
    rows[26][1] = "X"  # line 27: several blocks in
    with pytest.raises(ValidationError, match="line 27: tier"):
        import_file(uow_factory(), "tiers", _write(tiny_city_dir / "t2.csv", rows))
    assert _stored(uow_factory, "tiers") == 21


def test_a_key_repeated_across_blocks_is_named_and_nothing_written(
    uow_factory: UowFactory, tiny_city_dir: Path
) -> None:
    import_folder(uow_factory(), tiny_city_dir)
    rows = [TIER_HEADER] + [[make_code(n), "B", "2026-03-01", "B3"] for n in range(1, 28)]
    rows.append(rows[1])  # the first record again, many blocks later
    with pytest.raises(ValidationError, match="line 29"):
        import_file(uow_factory(), "tiers", _write(tiny_city_dir / "t2.csv", rows))
    assert _stored(uow_factory, "tiers") == 21
    firms = _rows_of(tiny_city_dir / "enterprises.csv")
    firms.append([*firms[2][:1], "重复", *firms[2][2:]])
    with pytest.raises(ValidationError, match="line 32"):
        import_file(uow_factory(), "enterprises", _write(tiny_city_dir / "e2.csv", firms))


@pytest.mark.parametrize("few", [0, columnar.FEW_KEYS])  # references gathered and checked once, or looked up
def test_an_unknown_firm_or_a_changed_tier_in_a_late_block_is_refused(
    few: int, uow_factory: UowFactory, tiny_city_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(columnar, "FEW_KEYS", few)
    import_folder(uow_factory(), tiny_city_dir)
    rows = [TIER_HEADER] + [[make_code(n), "B", "2026-03-01", "B3"] for n in range(1, 28)]
    unknown = [*rows, [make_code(777), "D", "2026-03-01", "B3"]]
    with pytest.raises(ValidationError, match=r"line 29: uscc: unknown firm '91371302MA0000777"):
        import_file(uow_factory(), "tiers", _write(tiny_city_dir / "t2.csv", unknown))
    stored = _rows_of(tiny_city_dir / "tiers.csv")
    changed = [*rows, [stored[1][0], "D", *stored[1][2:]]]
    with pytest.raises(ValidationError, match="append-only"):
        import_file(uow_factory(), "tiers", _write(tiny_city_dir / "t3.csv", changed))
    assert _stored(uow_factory, "tiers") == 21
    assert import_file(uow_factory(), "tiers", _write(tiny_city_dir / "t4.csv", rows)).added == 27


def test_progress_is_told_every_block(uow_factory: UowFactory, tiny_city_dir: Path) -> None:
    import_folder(uow_factory(), tiny_city_dir, progress=None)
    rows = [TIER_HEADER] + [[make_code(n), "B", "2026-03-01", "B3"] for n in range(1, 28)]
    told: list[tuple[str, int]] = []
    import_file(
        uow_factory(), "tiers", _write(tiny_city_dir / "t2.csv", rows), progress=lambda *a: told.append(a)
    )
    counted = [n for label, n in told if label == "t2.csv (of 27 lines)"]
    assert len(counted) >= 2 and counted == sorted(counted) and counted[-1] == 27


def test_a_bad_file_too_big_for_the_row_check_is_refused_with_its_limit(
    uow_factory: UowFactory, tiny_city_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_folder(uow_factory(), tiny_city_dir)
    monkeypatch.setattr(importer, "ROW_BY_ROW_LIMIT", 20)
    rows = [TIER_HEADER] + [[make_code(n), "B", "2026-03-01", "B3"] for n in range(1, 28)]
    rows[26][1] = "X"
    with pytest.raises(ValidationError, match=r"t2.csv: not every one of its 27 rows .* at most 20 rows"):
        import_file(uow_factory(), "tiers", _write(tiny_city_dir / "t2.csv", rows))
    rows[26][1] = "B"
    assert import_file(uow_factory(), "tiers", _write(tiny_city_dir / "t2.csv", rows)).added == 27
