"""The frozen snapshot's columns stored as numbered blocks of bytes (migration 0010; docs/operations.md
"The stored snapshot").

A part (``enterprises``, ``tiers``) is one Arrow IPC stream cut into blocks of at most ``BLOCK_BYTES``, one row
each in ``snapshot_blocks``, keyed by (snapshot, part, seq). ``BlockWriter`` is a binary file object that
inserts a block as soon as one is full, and ``BlockReader`` one that fetches them one at a time, so neither side
holds the whole stream; both run in the unit of work's transaction.
"""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from spotcheck.domain.errors import VerificationError
from spotcheck.store.base import Base

__all__ = ["BLOCK_BYTES", "BlockReader", "BlockWriter", "SnapshotBlockRow"]

BLOCK_BYTES = 4 << 20


class SnapshotBlockRow(Base):
    __tablename__ = "snapshot_blocks"
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"), primary_key=True)
    part: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class BlockWriter(io.RawIOBase):
    """Write-only file object: bytes written become the part's blocks, in order (``close`` writes the last)."""

    def __init__(self, session: Session, snapshot_id: int, part: str) -> None:
        super().__init__()
        self.session, self.snapshot_id, self.part = session, snapshot_id, part
        self.pending = bytearray()
        self.seq = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.pending += view
        while len(self.pending) >= BLOCK_BYTES:
            self._emit(bytes(self.pending[:BLOCK_BYTES]))
            del self.pending[:BLOCK_BYTES]
        return len(view)

    def _emit(self, block: bytes) -> None:
        row = {"snapshot_id": self.snapshot_id, "part": self.part, "seq": self.seq, "data": block}
        self.session.execute(insert(SnapshotBlockRow), [row])
        self.seq += 1

    def close(self) -> None:
        if not self.closed and self.pending:
            self._emit(bytes(self.pending))
            self.pending.clear()
        super().close()


class BlockReader(io.RawIOBase):
    """Read-only file object over a part's blocks, fetched one at a time in order."""

    def __init__(self, session: Session, snapshot_id: int, part: str) -> None:
        super().__init__()
        self.session, self.snapshot_id, self.part = session, snapshot_id, part
        where = (SnapshotBlockRow.snapshot_id == snapshot_id, SnapshotBlockRow.part == part)
        self.blocks = int(session.execute(select(func.count()).where(*where)).scalar_one())
        self.seq = 0
        self.current = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not len(self.current) and self.seq < self.blocks:
            query = select(SnapshotBlockRow.data).where(
                SnapshotBlockRow.snapshot_id == self.snapshot_id,
                SnapshotBlockRow.part == self.part,
                SnapshotBlockRow.seq == self.seq,
            )
            found = self.session.execute(query).scalar_one_or_none()
            if found is None:
                raise VerificationError(f"the stored snapshot's {self.part} miss block {self.seq}")
            self.current = memoryview(bytes(found))
            self.seq += 1
        target = memoryview(buffer).cast("B")
        n = min(len(target), len(self.current))
        target[:n] = self.current[:n]
        self.current = self.current[n:]
        return n
