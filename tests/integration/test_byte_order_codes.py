"""Migration 0012: credit codes and batch ids compare by bytes on PostgreSQL, a firm's tier records are found
through the unique (uscc, effective, batch) index now that the index on uscc alone is gone (and the btree on
names, which nothing read), and the downgrade puts them back."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from spotcheck.store.engine import make_engine
from spotcheck.store.migrate import downgrade, upgrade

CODES = {
    ("enterprises", "uscc"),
    ("tier_records", "uscc"),
    ("conflicts", "uscc"),
    ("visits", "uscc"),
    ("feed_entries", "uscc"),
    ("tier_records", "batch"),
    ("tier_batches", "batch"),
}


def _collations(url: str) -> dict[tuple[str, str], str | None]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT table_name, column_name, collation_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND column_name IN ('uscc', 'batch')"
                )
            )
            return {(t, c): collation for t, c, collation in rows}
    finally:
        engine.dispose()


def _indexes(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            return {i["name"] or "" for t in ("enterprises", "tier_records") for i in found.get_indexes(t)}
    finally:
        engine.dispose()


def test_codes_and_batches_compare_by_bytes_and_back_after_a_downgrade(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite compares text by bytes already")
    upgrade(db_url)
    assert {k: v for k, v in _collations(db_url).items() if k in CODES} == dict.fromkeys(CODES, "C")
    downgrade(db_url, "0011")
    assert all(_collations(db_url)[k] is None for k in CODES)
    upgrade(db_url)
    assert all(_collations(db_url)[k] == "C" for k in CODES)


def test_the_indexes_nothing_reads_go_and_come_back(db_url: str) -> None:
    dropped = {"ix_tier_records_uscc", "ix_enterprises_name"}
    upgrade(db_url)
    assert not dropped & _indexes(db_url)
    downgrade(db_url, "0011")
    assert dropped <= _indexes(db_url)
    upgrade(db_url)
    assert not dropped & _indexes(db_url)


def test_a_firms_tier_records_are_read_through_the_unique_index(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the plan shown is PostgreSQL's")
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("SET LOCAL enable_seqscan = off")
            )  # an empty table: make the choice visible
            plan = connection.execute(
                text("EXPLAIN SELECT tier FROM tier_records WHERE uscc = '91350200776049653A'")
            ).scalars()
            assert "uq_tier_records_uscc_effective_batch" in "\n".join(plan)
            codes = ["91350200776049653A", "9135020077604965A3", "Y1350200776049653A", "0135020077604965Z3"]
            connection.execute(text("INSERT INTO districts (code, name) VALUES ('371302', 'x')"))
            connection.execute(
                text(
                    "INSERT INTO enterprises (uscc, name, kind, district, industry, status, legal_rep, address) "
                    "SELECT c, c, 'enterprise', '371302', 'C', 'active', '', '' FROM unnest(CAST(:c AS text[])) AS c"
                ),
                {"c": codes},
            )
            ordered = connection.execute(text("SELECT uscc FROM enterprises ORDER BY uscc")).scalars()
            assert list(ordered) == sorted(codes)  # bytes: Python's code-point order, the freeze's
    finally:
        engine.dispose()
