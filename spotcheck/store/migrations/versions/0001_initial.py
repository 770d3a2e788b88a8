"""initial schema: lists, directories, quarter pipeline, ledger

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

# in the order upgrade creates them: each after the tables its foreign keys point at
_TABLES = (
    "api_tokens",
    "audit_entries",
    "departments",
    "districts",
    "plans",
    "beacons",
    "check_items",
    "commitments",
    "draws",
    "enterprises",
    "experts",
    "inspectors",
    "snapshots",
    "conflicts",
    "tier_records",
    "visits",
    "assignments",
    "results",
    "feed_entries",
)


def _index(table: str, *columns: str) -> None:
    """A plain index on ``columns``, named ``ix_<table>_<columns>`` as the models' naming convention names it."""
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns), unique=False)


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entries_hash")),
        sa.UniqueConstraint("seq", name=op.f("uq_audit_entries_seq")),
    )
    _index("audit_entries", "action")
    op.create_table(
        "departments",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_departments")),
    )
    op.create_table(
        "districts",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_districts")),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("plan_json", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    _index("plans", "year", "quarter")
    op.create_table(
        "beacons",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("value", sa.String(length=512), nullable=False),
        sa.Column("entered", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_beacons_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beacons")),
    )
    _index("beacons", "plan_id")
    op.create_table(
        "check_items",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("key", sa.Boolean(), nullable=False),
        sa.Column("target_kinds", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("team_size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department"], ["departments.code"], name=op.f("fk_check_items_department_departments")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_check_items")),
    )
    _index("check_items", "department")
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("commitment", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=256), nullable=True),
        sa.Column("committed", sa.DateTime(), nullable=False),
        sa.Column("revealed", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department"], ["departments.code"], name=op.f("fk_commitments_department_departments")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_commitments_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
        sa.UniqueConstraint("plan_id", "department", name=op.f("uq_commitments_plan_id_department")),
    )
    _index("commitments", "plan_id")
    op.create_table(
        "draws",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_draws_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draws")),
        sa.UniqueConstraint("plan_id", "kind", "seq", name=op.f("uq_draws_plan_id_kind_seq")),
    )
    _index("draws", "plan_id")
    op.create_table(
        "enterprises",
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("district", sa.String(length=16), nullable=False),
        sa.Column("industry", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("legal_rep", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=400), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["district"], ["districts.code"], name=op.f("fk_enterprises_district_districts")
        ),
        sa.PrimaryKeyConstraint("uscc", name=op.f("pk_enterprises")),
    )
    _index("enterprises", "district")
    _index("enterprises", "name")
    op.create_table(
        "experts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("fields", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["department"], ["departments.code"], name=op.f("fk_experts_department_departments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experts")),
    )
    _index("experts", "department")
    op.create_table(
        "inspectors",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("district", sa.String(length=16), nullable=False),
        sa.Column("certificate", sa.String(length=64), nullable=False),
        sa.Column("fields", sa.String(length=400), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department"], ["departments.code"], name=op.f("fk_inspectors_department_departments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspectors")),
    )
    _index("inspectors", "department")
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_snapshots_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshots")),
        sa.UniqueConstraint("digest", name=op.f("uq_snapshots_digest")),
    )
    _index("snapshots", "plan_id")
    op.create_table(
        "conflicts",
        sa.Column("inspector", sa.String(length=64), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspector"], ["inspectors.id"], name=op.f("fk_conflicts_inspector_inspectors")
        ),
        sa.ForeignKeyConstraint(["uscc"], ["enterprises.uscc"], name=op.f("fk_conflicts_uscc_enterprises")),
        sa.PrimaryKeyConstraint("inspector", "uscc", name=op.f("pk_conflicts")),
    )
    _index("conflicts", "uscc")
    op.create_table(
        "tier_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("tier", sa.String(length=1), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("received", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["uscc"], ["enterprises.uscc"], name=op.f("fk_tier_records_uscc_enterprises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tier_records")),
        sa.UniqueConstraint("uscc", "effective", "batch", name=op.f("uq_tier_records_uscc_effective_batch")),
    )
    _index("tier_records", "batch")
    _index("tier_records", "uscc")
    op.create_table(
        "visits",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("district", sa.String(length=16), nullable=False),
        sa.Column("lead", sa.String(length=32), nullable=False),
        sa.Column("departments", sa.String(length=400), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("joint", sa.Boolean(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=True),
        sa.Column("window_end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["draw_id"], ["draws.id"], name=op.f("fk_visits_draw_id_draws")),
        sa.ForeignKeyConstraint(["lead"], ["departments.code"], name=op.f("fk_visits_lead_departments")),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_visits_plan_id_plans")),
        sa.ForeignKeyConstraint(["uscc"], ["enterprises.uscc"], name=op.f("fk_visits_uscc_enterprises")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    _index("visits", "draw_id")
    _index("visits", "plan_id")
    _index("visits", "uscc")
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("visit_id", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("inspector_id", sa.String(length=64), nullable=False),
        sa.Column("leader", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department"], ["departments.code"], name=op.f("fk_assignments_department_departments")
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"], ["inspectors.id"], name=op.f("fk_assignments_inspector_id_inspectors")
        ),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_assignments_visit_id_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "visit_id",
            "department",
            "inspector_id",
            name=op.f("uq_assignments_visit_id_department_inspector_id"),
        ),
    )
    _index("assignments", "inspector_id")
    _index("assignments", "visit_id")
    op.create_table(
        "results",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("visit_id", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department"], ["departments.code"], name=op.f("fk_results_department_departments")
        ),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_results_visit_id_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results")),
        sa.UniqueConstraint(
            "visit_id", "department", "version", name=op.f("uq_results_visit_id_department_version")
        ),
    )
    _index("results", "visit_id")
    op.create_table(
        "feed_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=True),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["result_id"], ["results.id"], name=op.f("fk_feed_entries_result_id_results")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_entries")),
        sqlite_autoincrement=True,
    )
    _index("feed_entries", "result_id")
    _index("feed_entries", "uscc")


def downgrade() -> None:
    for table in reversed(_TABLES):  # its indexes go with it
        op.drop_table(table)
