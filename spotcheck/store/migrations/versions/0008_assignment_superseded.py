"""assignments.superseded_by: a replaced officer's row is kept and marked with the redraw that replaced it

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-30

Published data is never edited in place (docs/ceremony.md "Redraws"): a redraw of an officer used to delete
the replaced assignment row. It now sets ``superseded_by`` to the redraw's ``draws.id``; the current team is
the rows where it is NULL, and the history stays for audit. Rows deleted before this revision are gone; their
redraw records still name who was replaced.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"


def upgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_assignments_superseded_by_draws", "draws", ["superseded_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_constraint("fk_assignments_superseded_by_draws", type_="foreignkey")
        batch_op.drop_column("superseded_by")
