"""tier_batches (a retried tier push is applied once); a trigram index on enterprise names (PostgreSQL)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

``tier_batches`` holds one row per batch id pushed through /api/credit/tiers with the SHA-256 of its content
(``spotcheck.store.tier_staging``). On PostgreSQL, ``pg_trgm`` is enabled and ``ix_enterprises_name_trgm``
(GIN, gin_trgm_ops) serves the firm-name search's LIKE '%...%'; on SQLite the index of that name is a plain one
(the model is the same for both) and the search keeps its scan.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "tier_batches",
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("received", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("batch", name=op.f("pk_tier_batches")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_enterprises_name_trgm",
        "enterprises",
        ["name"],
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_enterprises_name_trgm", table_name="enterprises")
    op.drop_table("tier_batches")
