"""The import use case on SQLite and PostgreSQL: validate everything first, write in one transaction."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from spotcheck.domain.errors import ValidationError
from spotcheck.ingest import load_city
from spotcheck.store import UnitOfWork, city_from_store, import_file, import_folder
from tests.conftest import REAL_CODES, make_code

UowFactory = Callable[[], UnitOfWork]


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def counts(uow_factory: UowFactory) -> dict[str, int]:
    with uow_factory() as uow:
        kinds = (
            "departments",
            "districts",
            "items",
            "enterprises",
            "tiers",
            "inspectors",
            "experts",
            "conflicts",
        )
        return {k: uow.directory.count(k) for k in kinds}


@pytest.fixture
def imported_city(uow_factory: UowFactory, tiny_city_dir: Path) -> Path:
    """The tiny city folder, imported once; tests edit its files and import them again."""
    import_folder(uow_factory(), tiny_city_dir)
    return tiny_city_dir


def test_a_city_imports_and_a_second_import_changes_nothing(
    uow_factory: UowFactory, tiny_city_dir: Path
) -> None:
    first = import_folder(uow_factory(), tiny_city_dir)
    assert {r.kind: r.added for r in first}["enterprises"] == 30
    second = import_folder(uow_factory(), tiny_city_dir)
    assert all(r.added == r.updated == 0 and r.unchanged == r.rows for r in second)
    assert "nothing changed (unchanged: 30)" in second[3].summary()
    assert counts(uow_factory)["tiers"] == 21


def test_stored_city_equals_the_folder(uow_factory: UowFactory, imported_city: Path) -> None:
    folder = load_city(imported_city)
    with uow_factory() as uow:
        assert city_from_store(uow, plan=folder.plan) == folder


def test_broken_codes_are_all_named_and_nothing_is_written(
    uow_factory: UowFactory, imported_city: Path
) -> None:
    path = imported_city / "enterprises.csv"
    rows = rows_of(path)
    good = rows[1]
    broken = [
        "91350200776049653B",  # wrong check digit
        "9135020077604965IA",  # I, O, S, V, Z are not in the alphabet
        "9135020077604965OA",
        "9135020077604965SA",
        "9135020077604965VA",
        "9135020077604965ZA",
        "91350200776049653",  # 17 characters
        "91350200776049653AA",  # 19 characters
        "",
        REAL_CODES[1],  # also on line 3 (already stored, which alone would be fine)
        REAL_CODES[1],
    ]
    new_rows = [[make_code(900 + i), *good[1:]] for i in range(2)]
    new_rows.insert(1, [REAL_CODES[1], *good[1:]])
    new_rows += [[code, *good[1:]] for code in broken]
    write_rows(path, [rows[0], *new_rows])
    with pytest.raises(ValidationError) as caught:
        import_file(uow_factory(), "enterprises", path)
    found = [(p.line, p.field) for p in caught.value.problems]
    assert found == [(line, "uscc") for line in range(5, 16)]
    assert "first on line 3" in str(caught.value.problems[-1])
    assert counts(uow_factory)["enterprises"] == 30  # the three good new rows were not written either


def test_changed_rows_are_updated_and_normalised_codes_reported(
    uow_factory: UowFactory, imported_city: Path
) -> None:
    path = imported_city / "enterprises.csv"
    rows = rows_of(path)
    rows[1][0] = rows[1][0].lower()  # REAL_CODES[0], written in lower case
    rows[2][1] = "更名后的公司"
    rows.append([make_code(500).lower(), "新公司", "enterprise", "371302", "C", "active", "", "", ""])
    report = import_file(uow_factory(), "enterprises", write_rows(path, rows))
    assert (report.added, report.updated, report.unchanged) == (1, 1, 29)
    assert [(n.line, n.code) for n in report.normalised] == [(2, REAL_CODES[0]), (32, make_code(500))]
    assert "2 credit code(s) normalised" in report.summary()
    with uow_factory() as uow:
        names = {f.uscc: f.name for f in uow.directory.all("enterprises")}
    assert names[REAL_CODES[1]] == "更名后的公司" and make_code(500) in names


def test_unknown_references_are_refused(uow_factory: UowFactory, imported_city: Path) -> None:
    tiers = write_rows(
        imported_city / "t2.csv",
        [
            ["uscc", "tier", "effective", "batch"],
            [REAL_CODES[0], "D", "2026-03-01", "B3"],
            [make_code(777), "D", "2026-03-01", "B3"],
        ],
    )
    with pytest.raises(ValidationError, match=r"line 3: uscc: unknown firm '91371302MA0000777"):
        import_file(uow_factory(), "tiers", tiers)
    items = write_rows(
        imported_city / "i2.csv",
        [
            ["code", "department", "name", "method", "key", "target_kinds", "field"],
            ["WS-01", "WSJK", "卫生检查", "onsite", "1", "enterprise", "health"],
        ],
    )
    with pytest.raises(ValidationError, match="line 2: department: unknown department 'WSJK'"):
        import_file(uow_factory(), "items", items)
    conflicts = write_rows(imported_city / "c2.csv", [["inspector", "uscc"], ["XF-999", REAL_CODES[0]]])
    with pytest.raises(ValidationError, match="unknown inspector 'XF-999'"):
        import_file(uow_factory(), "conflicts", conflicts)
    assert counts(uow_factory)["tiers"] == 21


def test_tiers_are_append_only(uow_factory: UowFactory, imported_city: Path) -> None:
    header = ["uscc", "tier", "effective", "batch"]
    later = write_rows(imported_city / "t3.csv", [header, [REAL_CODES[1], "D", "2026-04-01", "B4"]])
    assert import_file(uow_factory(), "tiers", later).added == 1
    rewritten = write_rows(imported_city / "t4.csv", [header, [REAL_CODES[1], "A", "2026-04-01", "B4"]])
    with pytest.raises(ValidationError, match="append-only"):
        import_file(uow_factory(), "tiers", rewritten)
    assert counts(uow_factory)["tiers"] == 22


def test_chinese_headers_and_xlsx_import(uow_factory: UowFactory, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["部门名称", "部门代码"])
    sheet.append(["市场监督管理局", "SCJG"])
    sheet.append(["消防救援支队", "XF"])
    book.save(tmp_path / "departments.xlsx")
    assert import_file(uow_factory(), "departments", tmp_path / "departments.xlsx").added == 2
    path = write_rows(tmp_path / "districts.csv", [["区划名称", "区划代码"], ["兰山区", "371302"]])
    assert import_file(uow_factory(), "districts", path).added == 1
    with uow_factory() as uow:
        assert [d.code for d in uow.directory.all("departments")] == ["SCJG", "XF"]


def test_a_bad_file_in_a_folder_import_writes_nothing_at_all(
    uow_factory: UowFactory, tiny_city_dir: Path
) -> None:
    rows = rows_of(tiny_city_dir / "conflicts.csv")
    write_rows(tiny_city_dir / "conflicts.csv", [*rows, ["SCJG-001", "91350200776049653B", ""]])
    with pytest.raises(ValidationError, match="conflicts.csv"):
        import_folder(uow_factory(), tiny_city_dir)
    assert set(counts(uow_factory).values()) == {0}


def test_imports_are_audited_in_their_own_transaction(uow_factory: UowFactory, tiny_city_dir: Path) -> None:
    import_folder(uow_factory(), tiny_city_dir, actor="clerk")
    import_folder(uow_factory(), tiny_city_dir, actor="clerk")  # a no-op: nothing to log
    tiers = tiny_city_dir / "tiers.csv"
    rows = rows_of(tiers)
    rows.append([rows[1][0], "D", "2026-03-01", "B2026-03"])  # the credit system's next batch
    write_rows(tiers, rows)
    import_file(uow_factory(), "tiers", tiers, actor="credit")
    with uow_factory() as uow:
        entries = uow.audit.entries()
        uow.audit.verify()
    assert [(e.action, e.actor) for e in entries] == [("import", "clerk"), ("tier_batch", "credit")]
    assert entries[0].payload["changes"]["enterprises"]["added"] == 30
    assert entries[1].payload["changes"]["tiers"]["added"] == 1
