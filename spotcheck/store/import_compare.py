"""A block of an imported file compared with the stored rows by the database, not in Python.

A re-import (the table already holds rows) must tell each row of the file as new, unchanged or changed
(docs/formats.md "Importing into the database"). Holding the stored rows in a Python dict costs about 1 KiB a
firm (docs/scale.md "Streamed import"); instead each block goes into a temporary table (``write_table``) and one
join with the stored table answers with the rows that are new or changed, by their number in the block:

    compare = StoredComparison(session, "enterprises", ("uscc",), ["name", ...])
    new, changed = compare(block)        # numpy int64 arrays of row numbers in ``block``; the rest is unchanged
    compare.drop()

Values compare as stored (text by bytes, dates as dates, NULL equal to NULL), as ``DirectoryRepository.stored``
compares them in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
from sqlalchemy import text
from sqlalchemy.orm import Session

from spotcheck.store.bulk import is_postgres, write_table
from spotcheck.store.errors import translated

__all__ = ["BLOCK_TABLE", "StoredComparison"]

BLOCK_TABLE = "import_block"  # the temporary table of one block


class StoredComparison:
    """Compares blocks of rows of ``table`` (keys ``keys``, compared columns ``others``) with what it stores."""

    def __init__(self, session: Session, table: str, keys: Sequence[str], others: Sequence[str]) -> None:
        self.session, self.table = session, table
        self.postgres = is_postgres(session)
        columns = ", ".join([*keys, *others])
        tail = " ON COMMIT DROP" if self.postgres else ""
        joined = " AND ".join(f"t.{k} = b.{k}" for k in keys)
        same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM b.{c}" for c in others) or "TRUE"
        self._query = text(
            f"SELECT b.row_no, t.{keys[0]} IS NULL FROM {BLOCK_TABLE} AS b LEFT JOIN {table} AS t ON {joined} "
            f"WHERE t.{keys[0]} IS NULL OR NOT ({same}) ORDER BY b.row_no"  # rows go in in the file's order
        )
        with translated(f"comparing with the stored {table}"):
            session.execute(text(f"DROP TABLE IF EXISTS {BLOCK_TABLE}"))
            session.execute(
                text(
                    f"CREATE TEMPORARY TABLE {BLOCK_TABLE}{tail} AS "
                    f"SELECT 0 AS row_no, {columns} FROM {table} WHERE 1 = 0"
                )
            )

    def __call__(self, block: pa.Table) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers (in ``block``) of the rows not stored, and of those stored with other values."""
        numbered = block.add_column(0, "row_no", pa.array(np.arange(block.num_rows, dtype=np.int64)))
        with translated(f"comparing with the stored {self.table}"):
            empty = "TRUNCATE" if self.postgres else "DELETE FROM"  # TRUNCATE leaves no dead rows behind
            self.session.execute(text(f"{empty} {BLOCK_TABLE}"))
        write_table(self.session, BLOCK_TABLE, numbered)
        with translated(f"comparing with the stored {self.table}"):
            if self.postgres:  # planned for the block's size, not for an empty table
                self.session.execute(text(f"ANALYZE {BLOCK_TABLE}"))
            found = self.session.execute(self._query).all()
        rows = np.array([r for r, _ in found], dtype=np.int64)
        new = np.array([bool(n) for _, n in found], dtype=bool)
        return rows[new], rows[~new]

    def drop(self) -> None:
        with translated(f"comparing with the stored {self.table}"):
            self.session.execute(text(f"DROP TABLE {BLOCK_TABLE}"))
