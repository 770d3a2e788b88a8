"""snapshot_blocks: the frozen snapshot's firm and tier columns, an Arrow IPC stream in numbered blocks

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

A snapshot frozen from this revision on (payload format ``spotcheck-frozen-inputs/4``) keeps its small
document in ``snapshots.payload_gz`` as before and the firms and their tiers in force as columns in
``snapshot_blocks`` (``spotcheck.store.snapshot_blocks``; docs/operations.md "The stored snapshot"). Rows frozen
before are unchanged and still read. The downgrade refuses while a snapshot holds blocks: the code before this
revision could not read it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.create_table(
        "snapshot_blocks",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_snapshot_blocks_snapshot_id_snapshots")
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "part", "seq", name=op.f("pk_snapshot_blocks")),
    )


def downgrade() -> None:
    held = op.get_bind().execute(sa.text("SELECT count(*) FROM snapshot_blocks")).scalar_one()
    if held:
        raise RuntimeError(
            "cannot downgrade below 0010: a frozen snapshot is stored as columns (snapshot_blocks), which the "
            "code before this revision cannot read"
        )
    op.drop_table("snapshot_blocks")
