"""Big loads as columns (spotcheck/store/bulk.py, import_columns.py, tier_staging.py) on SQLite and PostgreSQL:
an Arrow table written through COPY keeps empty text apart from NULL, references are checked against every
stored key by one anti-join, and a staged push's batch digests are the spec's (docs/formats.md "Tier pushes")
whichever database computes them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import text

import spotcheck.store.import_columns as columnar
from spotcheck.domain.errors import ValidationError
from spotcheck.store import UnitOfWork, import_file, import_folder
from spotcheck.store.bulk import count_missing, write_table
from spotcheck.store.tier_staging import TierStage
from tests.conftest import REAL_CODES, make_code

UowFactory = Callable[[], UnitOfWork]


def test_a_table_written_in_bulk_keeps_empty_text_apart_from_null(uow_factory: UowFactory) -> None:
    rows = pa.table(
        {
            "a": pa.array(["x", "", None, 'q"uo,te\\'], pa.string()),
            "d": pa.array([date(2026, 1, 2), None, date(1, 1, 1), None], pa.date32()),
        }
    )
    with uow_factory() as uow:
        uow.session.execute(text("CREATE TEMPORARY TABLE bulk_probe (a TEXT, d DATE)"))
        write_table(uow.session, "bulk_probe", rows)
        found = [tuple(r) for r in uow.session.execute(text("SELECT a, d FROM bulk_probe"))]
        uow.session.execute(text("DROP TABLE bulk_probe"))
    days = [d if d is None or isinstance(d, date) else date.fromisoformat(d) for _, d in found]
    assert [a for a, _ in found] == ["x", "", None, 'q"uo,te\\']
    assert days == [date(2026, 1, 2), None, date(1, 1, 1), None]


def test_missing_references_are_counted_by_the_database(uow_factory: UowFactory, tiny_city_dir: Path) -> None:
    import_folder(uow_factory(), tiny_city_dir)
    asked = pa.array([REAL_CODES[0], make_code(777), make_code(778), REAL_CODES[1]], pa.string())
    with uow_factory() as uow:
        assert count_missing(uow.session, asked, "enterprises", "uscc") == 2
        assert count_missing(uow.session, asked.slice(0, 1), "enterprises", "uscc") == 0


def test_a_tier_file_checked_against_every_stored_key_still_names_an_unknown_firm(
    uow_factory: UowFactory, tiny_city_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(columnar, "FEW_KEYS", 0)  # every reference check goes through count_missing
    import_folder(uow_factory(), tiny_city_dir)
    tiers = tiny_city_dir / "t2.csv"
    tiers.write_text(
        f"uscc,tier,effective,batch\n{REAL_CODES[0]},D,2026-03-01,B3\n{make_code(777)},D,2026-03-01,B3\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=r"line 3: uscc: unknown firm '91371302MA0000777"):
        import_file(uow_factory(), "tiers", tiers)
    tiers.write_text(f"uscc,tier,effective,batch\n{REAL_CODES[0]},D,2026-03-01,B3\n", encoding="utf-8")
    assert import_file(uow_factory(), "tiers", tiers).added == 1


def test_batch_digests_are_sha256_of_the_sorted_lines(uow_factory: UowFactory) -> None:
    a, b = make_code(5), make_code(6)
    batches = ["R,1", 'R"2']  # separators in a batch id change nothing
    rows = [
        (2, b, "C", date(2026, 5, 1), batches[0]),
        (3, a, "D", date(2026, 6, 1), batches[0]),
        (4, a, "A", date(2026, 5, 1), batches[0]),
        (5, b, "B", date(999, 1, 1), batches[1]),
    ]
    staged = pa.table(
        [pa.array(column) for column in zip(*rows, strict=True)],
        names=["line", "uscc", "tier", "effective", "batch"],
    ).cast(
        pa.schema(
            [
                ("line", pa.int64()),
                ("uscc", pa.string()),
                ("tier", pa.string()),
                ("effective", pa.date32()),
                ("batch", pa.string()),
            ]
        )
    )
    first = f"{a},A,2026-05-01\n{a},D,2026-06-01\n{b},C,2026-05-01\n"
    with uow_factory() as uow:
        stage = TierStage(uow.session)
        stage.add(staged)
        assert stage.digests() == {
            batches[0]: (hashlib.sha256(first.encode()).hexdigest(), 3, 2),
            batches[1]: (hashlib.sha256(f"{b},B,0999-01-01\n".encode()).hexdigest(), 1, 5),
        }
        stage.drop()
