"""Credit codes and batch ids compared by bytes (PostgreSQL); two indexes nothing needs dropped

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

On PostgreSQL every ``uscc`` column (enterprises, tier records, recusals, visits, the credit feed) and every tier
``batch`` column (tier records, tier batches) is declared ``COLLATE "C"``: compared and sorted by their bytes, not
by the database's locale (``strcoll``, which PostgreSQL 15 gives no abbreviated sort keys), so every index build
and key insert on them is cheaper (docs/scale.md "Bulk loads with COPY"). The values are ASCII, so byte order is
the order the locale gave them, and nothing a draw computes depends on the database's order: the freeze sorts
the firms by code point itself (``store.city_columns``). The firm-name index compares its bigrams by bytes too
(``(name_bigrams(name) COLLATE "C")``; the search asks for that collation, ``store.name_search``).
``ix_tier_records_uscc`` goes on both databases: the unique (uscc, effective, batch) index begins with the same
column and serves the same lookups, and a large tier load rebuilds one index fewer. ``ix_enterprises_name`` (a
btree on the names) goes too: no query reads it (the search looks for a piece of a name, which a btree cannot
serve, and sorts at most a page's matches), and it cost a large import a sort of every name by the locale's
rules. Only collations change: no table is rewritten, the indexes on these columns are rebuilt.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"

# (table, column, length), referring tables before the table they refer to
_COLUMNS = (
    ("conflicts", "uscc", 18),
    ("visits", "uscc", 18),
    ("tier_records", "uscc", 18),
    ("feed_entries", "uscc", 18),
    ("enterprises", "uscc", 18),
    ("tier_records", "batch", 64),
    ("tier_batches", "batch", 64),
)
_NAME_INDEX = "ix_enterprises_name_bigrams"


def _collate(collation: str) -> None:
    for table, column, length in _COLUMNS:
        op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE VARCHAR({length}) COLLATE "{collation}"')


def _name_index(expression: str) -> None:
    op.execute(f"DROP INDEX IF EXISTS {_NAME_INDEX}")  # an import may have left it to be built after commit
    op.execute(f"CREATE INDEX {_NAME_INDEX} ON enterprises USING gin ({expression})")


def upgrade() -> None:
    op.drop_index("ix_tier_records_uscc", table_name="tier_records")
    op.drop_index("ix_enterprises_name", table_name="enterprises")
    if op.get_bind().dialect.name == "postgresql":
        _collate("C")
        _name_index('(name_bigrams(name) COLLATE "C")')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _name_index("name_bigrams(name)")
        _collate("default")
    op.create_index("ix_enterprises_name", "enterprises", ["name"])
    op.create_index("ix_tier_records_uscc", "tier_records", ["uscc"])
