"""Tables come only from Alembic, and the migrations build exactly what the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from spotcheck.store.engine import make_engine
from spotcheck.store.migrate import current, downgrade, head, upgrade
from spotcheck.store.tables import metadata


def test_models_match_migrations(db_url: str) -> None:
    assert current(db_url) is None
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), metadata)
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert set(metadata.tables) <= tables and "alembic_version" in tables


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_every_downgrade_runs_down_to_an_empty_database_and_up_again(db_url: str) -> None:
    upgrade(db_url)
    downgrade(db_url, "base")
    assert current(db_url) is None and _tables(db_url) == {"alembic_version"}
    upgrade(db_url)
    assert current(db_url) == head() and set(metadata.tables) <= _tables(db_url)


def test_upgrade_is_idempotent_and_reports_the_head(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)
    assert current(db_url) == head() == "0012"


def test_every_design_object_has_a_table() -> None:
    expected = {
        "departments",
        "districts",
        "check_items",
        "enterprises",
        "tier_records",
        "tier_batches",
        "inspectors",
        "experts",
        "conflicts",
        "plans",
        "snapshots",
        "snapshot_blocks",
        "commitments",
        "ceremonies",
        "beacons",
        "draws",
        "visits",
        "assignments",
        "results",
        "audit_entries",
        "feed_entries",
        "api_tokens",
        "users",
        "sessions",
        "sign_in_failures",
        "publication_leaves",
        "attachments",
    }
    assert set(metadata.tables) == expected
