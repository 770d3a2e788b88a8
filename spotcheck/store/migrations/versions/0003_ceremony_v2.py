"""ceremony v2: commitments bind the plan (plan_digest) and are handed in (handed_in); the system secret and the
beacon named at the freeze (ceremonies); who entered the beacon (beacons.entered_by)

Revision ID: 0003
Revises: 0006
Create Date: 2026-11-24

Existing commitments keep ``plan_digest`` NULL: they are version-1 commitments (docs/ceremony.md), and the plans
drawn with them keep verifying with the version-1 formula. Downgrade drops the new columns and table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "ceremonies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("plan_digest", sa.String(length=64), nullable=False),
        sa.Column("system_secret", sa.String(length=64), nullable=False),
        sa.Column("system_commitment", sa.String(length=64), nullable=False),
        sa.Column("beacon_source", sa.String(length=200), nullable=False),
        sa.Column("beacon_date", sa.Date(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_ceremonies_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ceremonies")),
        sa.UniqueConstraint("plan_id", name=op.f("uq_ceremonies_plan_id")),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_digest", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("handed_in", sa.DateTime(), nullable=True))
    with op.batch_alter_table("beacons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_by", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("beacons", schema=None) as batch_op:
        batch_op.drop_column("entered_by")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_column("handed_in")
        batch_op.drop_column("plan_digest")
    op.drop_table("ceremonies")
