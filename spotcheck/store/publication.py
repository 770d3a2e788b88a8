"""The leaves of each publication's Merkle tree (docs/publication.md), kept so that ``audit verify`` can name the
row that changed, not only say that the root differs. The root and size are in the audit chain (the ``publish``
entry and each ``correct_result`` entry); these rows are checked against that root before they are trusted."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from spotcheck.store.base import Base

__all__ = ["LeafRow"]


class LeafRow(Base):
    """One leaf: its position in the plan's tree, its kind (visit, team, result), its key and its bytes."""

    __tablename__ = "publication_leaves"
    __table_args__ = (UniqueConstraint("plan_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the leaf's index in the tree, 0, 1, …
    kind: Mapped[str] = mapped_column(String(8))  # 'visit' | 'team' | 'result'
    key: Mapped[str] = mapped_column(String(160))  # visit id, "visit/department", or the result id
    leaf: Mapped[str] = mapped_column(Text)  # canonical JSON, UTF-8 (the leaf bytes)
