"""A large load on PostgreSQL sets the table's secondary indexes and foreign keys aside and rebuilds them in the
same transaction (spotcheck/store/bulk_indexes.py): the schema after is the schema before, the rows are those
imported, and a row breaking a foreign key still fails the whole load. The firm-name index is built after the
commit, concurrently; the search finds the same firms without it, and an interrupted build is replaced."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from spotcheck.domain.errors import SpotcheckError
from spotcheck.queries.firms import enterprise_page
from spotcheck.store import UnitOfWork, bulk_indexes, import_folder, importer
from spotcheck.store.bulk_indexes import build_after_commit, deferred_indexes
from spotcheck.store.directory import NAME_INDEX
from tests.conftest import write_tiny_city

UowFactory = Callable[[], UnitOfWork]
SCHEMA = """
SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
UNION ALL
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2, 3"""


def postgres_only(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        if uow.session.get_bind().dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: SQLite loads keep their indexes")


def schema(uow_factory: UowFactory) -> list[tuple[str, str, str]]:
    with uow_factory() as uow:
        return [tuple(r) for r in uow.session.execute(text(SCHEMA))]


def test_a_large_load_rebuilds_the_same_indexes_and_keys(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres_only(uow_factory)
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


NAME_INDEX_STATE = "SELECT i.indisvalid, pg_get_indexdef(i.indexrelid) FROM pg_index AS i WHERE i.indexrelid = to_regclass(:n)"


def name_index(uow_factory: UowFactory) -> tuple[bool, str] | None:
    with uow_factory() as uow:
        row = uow.session.execute(text(NAME_INDEX_STATE), {"n": NAME_INDEX.name}).one_or_none()
        return None if row is None else (bool(row[0]), str(row[1]))


def searched(uow_factory: UowFactory, pieces: list[str]) -> list[list[str]]:
    with uow_factory() as uow:
        return [[f.uscc for f in enterprise_page(uow, p, limit=50, offset=0)[0]] for p in pieces]


def test_the_name_index_is_built_after_the_commit_and_searches_meanwhile_scan(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres_only(uow_factory)
    built = name_index(uow_factory)
    assert built is not None and built[0] and 'COLLATE "C"' in built[1]
    monkeypatch.setattr(bulk_indexes, "REBUILD_FROM", 1)  # every load counts as large
    monkeypatch.setattr(importer, "build_after_commit", lambda engine, progress=None: None)  # "crashed"
    import_folder(uow_factory(), write_tiny_city(tmp_path / "city", firms=40))
    assert name_index(uow_factory) is None  # committed without it
    with uow_factory() as uow:
        names = [
            n for (n,) in uow.session.execute(text("SELECT name FROM enterprises ORDER BY uscc LIMIT 5"))
        ]
    pieces = [n[:1] for n in names] + [n[1:3] for n in names] + [n[-4:] for n in names] + ["无此名称"]
    scanned = searched(uow_factory, pieces)
    assert all(scanned[:-1]) and scanned[-1] == []
    steps: list[str] = []
    build_after_commit(uow_factory().engine, progress=lambda step, rows: steps.append(step))
    assert name_index(uow_factory) == built and len(steps) == 2
    assert searched(uow_factory, pieces) == scanned
    build_after_commit(uow_factory().engine, progress=lambda step, rows: steps.append(step))
    assert len(steps) == 2  # there and valid: nothing to do


def test_an_interrupted_build_leaves_an_invalid_index_that_the_next_build_replaces(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    postgres_only(uow_factory)
    built = name_index(uow_factory)
    import_folder(uow_factory(), write_tiny_city(tmp_path / "city", firms=40))
    engine = uow_factory().engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"DROP INDEX {NAME_INDEX.name}"))
        with pytest.raises(IntegrityError):  # fails half-way, as a stopped build does: INVALID, left behind
            connection.execute(
                text(f"CREATE UNIQUE INDEX CONCURRENTLY {NAME_INDEX.name} ON enterprises (kind)")
            )
    left = name_index(uow_factory)
    assert left is not None and not left[0]
    build_after_commit(engine)
    assert name_index(uow_factory) == built


def test_the_build_after_the_commit_leaves_the_index_to_a_builder_already_at_it_and_never_fails_the_import(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres_only(uow_factory)
    built = name_index(uow_factory)
    engine = uow_factory().engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"DROP INDEX {NAME_INDEX.name}"))
        # another import's build holds the builders' lock: this one leaves the index to it
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": bulk_indexes._BUILD_LOCK})
        steps: list[str] = []
        build_after_commit(engine, progress=lambda step, rows: steps.append(step))
        assert name_index(uow_factory) is None and steps == [
            "the firm-name index: another import is building it"
        ]
        connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": bulk_indexes._BUILD_LOCK})

    def fails(connection: object, engine: object, progress: object) -> None:
        raise bulk_indexes.StorageError("building the firm-name index: database error: canceled")

    monkeypatch.setattr(bulk_indexes, "_build_missing", fails)
    monkeypatch.setattr(bulk_indexes, "REBUILD_FROM", 1)
    steps = []
    reports = import_folder(
        uow_factory(), write_tiny_city(tmp_path / "city", firms=40), progress=lambda s, r: steps.append(s)
    )
    assert reports and "the import is stored, but" in steps[-1]  # stored and said so, not an error
    monkeypatch.undo()
    build_after_commit(engine)  # the next call builds it, and frees the lock it took
    assert name_index(uow_factory) == built


def test_a_load_setting_its_unique_keys_aside_still_refuses_a_duplicate_and_keeps_referred_keys(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres_only(uow_factory)
    import_folder(uow_factory(), write_tiny_city(tmp_path / "city", firms=40))
    monkeypatch.setattr(bulk_indexes, "REBUILD_FROM", 1)
    row = "INSERT INTO tier_records (uscc, tier, effective, batch, received) SELECT uscc, 'A', '2027-01-01', 'D', now() "
    with uow_factory() as uow:
        with deferred_indexes(uow.session, "enterprises", rows=100, unique=True):
            names = {name for _, name, _ in uow.session.execute(text(SCHEMA))}
            assert "pk_enterprises" in names  # other tables refer to it: it stays
        with (
            pytest.raises(SpotcheckError, match="rebuilding the indexes of tier_records"),
            deferred_indexes(uow.session, "tier_records", rows=100, unique=True),
        ):
            names = {name for _, name, _ in uow.session.execute(text(SCHEMA))}
            assert not {"pk_tier_records", "uq_tier_records_uscc_effective_batch"} & names
            uow.session.execute(text(f"{row} FROM enterprises LIMIT 1"))
            uow.session.execute(text(f"{row} FROM enterprises LIMIT 1"))  # the same key twice
