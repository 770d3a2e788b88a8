"""snapshots: the frozen payload gzip-compressed (payload_gz); the text column kept for rows frozen before

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The existing rows are converted one at a time: their canonical JSON text, UTF-8, compressed exactly as
``spotcheck.services.snapshot.pack_payload`` does (deflate level 6, window 15, memLevel 8, default strategy; a
fixed header with mtime 0, XFL 0, OS 255), moves to ``payload_gz`` and ``payload`` is cleared. The text is moved
as stored, byte for byte: whether it is the payload's canonical form is still checked on every read. The reader
also accepts a row whose text was left in ``payload``. Downgrade moves the text back.
"""

from __future__ import annotations

import struct
import zlib

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"

_HEADER = struct.pack("<BBBBLBB", 0x1F, 0x8B, 8, 0, 0, 0, 255)

_snapshots = sa.table(
    "snapshots",
    sa.column("id", sa.Integer()),
    sa.column("payload", sa.Text()),
    sa.column("payload_gz", sa.LargeBinary()),
)


def _gzip(data: bytes) -> bytes:
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)
    body = deflate.compress(data) + deflate.flush()
    return _HEADER + body + struct.pack("<LL", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def upgrade() -> None:
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payload_gz", sa.LargeBinary(), nullable=True))
        batch_op.alter_column("payload", existing_type=sa.Text(), nullable=True)

    bind = op.get_bind()
    ids = bind.execute(
        sa.select(_snapshots.c.id).where(_snapshots.c.payload.is_not(None)).order_by(_snapshots.c.id)
    ).scalars()
    for snap_id in list(ids):
        text = bind.execute(sa.select(_snapshots.c.payload).where(_snapshots.c.id == snap_id)).scalar_one()
        packed = _gzip(text.encode("utf-8"))
        del text
        bind.execute(
            sa.update(_snapshots).where(_snapshots.c.id == snap_id).values(payload_gz=packed, payload=None)
        )


def downgrade() -> None:
    bind = op.get_bind()
    ids = bind.execute(
        sa.select(_snapshots.c.id).where(_snapshots.c.payload_gz.is_not(None)).order_by(_snapshots.c.id)
    ).scalars()
    for snap_id in list(ids):
        packed = bind.execute(
            sa.select(_snapshots.c.payload_gz).where(_snapshots.c.id == snap_id)
        ).scalar_one()
        text = zlib.decompress(packed, wbits=31).decode("utf-8")
        bind.execute(
            sa.update(_snapshots).where(_snapshots.c.id == snap_id).values(payload=text, payload_gz=None)
        )

    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.alter_column("payload", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("payload_gz")
