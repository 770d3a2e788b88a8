"""publication_leaves: the leaves of each publication's Merkle tree

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-24

One row per leaf (visit, team, result) of a published plan's tree, in tree order; the root and the size are in
the audit chain (docs/publication.md). Plans published before this revision have no leaves and no tree.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "publication_leaves",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("leaf", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_publication_leaves_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_leaves")),
        sa.UniqueConstraint("plan_id", "position", name=op.f("uq_publication_leaves_plan_id_position")),
    )
    with op.batch_alter_table("publication_leaves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_leaves_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("publication_leaves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_leaves_plan_id"))
    op.drop_table("publication_leaves")
