"""A large load on PostgreSQL sets the table's secondary indexes and foreign keys aside and rebuilds them in the
same transaction (spotcheck/store/bulk_indexes.py): the schema after is the schema before, the rows are those
imported, and a row breaking a foreign key still fails the whole load."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from spotcheck.domain.errors import SpotcheckError
from spotcheck.store import UnitOfWork, bulk_indexes, import_folder
from spotcheck.store.bulk_indexes import deferred_indexes
from tests.conftest import write_tiny_city

UowFactory = Callable[[], UnitOfWork]
SCHEMA = """
SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
UNION ALL
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2, 3"""


def schema(uow_factory: UowFactory) -> list[tuple[str, str, str]]:
    with uow_factory() as uow:
        return [tuple(r) for r in uow.session.execute(text(SCHEMA))]


def test_a_large_load_rebuilds_the_same_indexes_and_keys(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with uow_factory() as uow:
        if uow.session.get_bind().dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: SQLite loads keep their indexes")
    before = schema(uow_factory)
    monkeypatch.setattr(bulk_indexes, "REBUILD_FROM", 1)  # every load counts as large
    import_folder(uow_factory(), write_tiny_city(tmp_path / "city", firms=40))
    assert schema(uow_factory) == before
    with uow_factory() as uow:
        counts = [uow.directory.count(k) for k in ("enterprises", "tiers")]
        assert counts[0] == 40 and counts[1] > 0
        stray = (
            "INSERT INTO enterprises (uscc, name, kind, district, industry, status, legal_rep, address) "
            "VALUES ('X', 'x', 'enterprise', 'nowhere', 'C', 'active', '', '')"
        )
        with (
            pytest.raises(SpotcheckError, match="rebuilding the indexes of enterprises"),
            deferred_indexes(uow.session, "enterprises", rows=100),
        ):
            assert len([tuple(r) for r in uow.session.execute(text(SCHEMA))]) < len(before)
            uow.session.execute(text(stray))  # a district that does not exist: the rebuilt key refuses it
    with uow_factory() as uow:
        assert uow.directory.count("enterprises") == 40
