"""Reading ``COPY ... TO STDOUT`` straight from libpq (``store.pg_copy``): whole rows in pieces, in the query's
order; a query the server refuses is a StorageError; a reader stopped part-way leaves the connection in its
transaction, usable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from spotcheck.store import UnitOfWork
from spotcheck.store.bulk import is_postgres
from spotcheck.store.errors import StorageError
from spotcheck.store.pg_copy import copy_out

UowFactory = Callable[[], UnitOfWork]
ROWS = "SELECT n, repeat('临', n % 7) || E'\\n,\"' AS t FROM generate_series(1, 500) AS n ORDER BY n"


def _raw(uow: UnitOfWork) -> Any:
    return uow.session.connection().connection.driver_connection


def test_pieces_of_whole_rows_in_order_and_a_refusal_is_a_storage_error(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        if not is_postgres(uow.session):
            pytest.skip("PostgreSQL's COPY only")
        query = f"COPY ({ROWS}) TO STDOUT (FORMAT csv)"
        with _raw(uow).cursor() as cursor, cursor.copy(query) as copy:  # psycopg's own reader, row by row
            expected = b"".join(bytes(row) for row in copy)
        pieces = list(copy_out(_raw(uow), query, 1000))
        assert len(pieces) > 5 and all(len(p) >= 1000 for p in pieces[:-1])
        assert b"".join(pieces) == expected and expected.startswith('1,"临\n,"""\n2,'.encode())
        with pytest.raises(StorageError, match="database error: .*no_such_table"):
            list(copy_out(_raw(uow), "COPY (SELECT * FROM no_such_table) TO STDOUT", 1000))
    with uow_factory() as uow:  # stopped after its first piece: the rest is read, the transaction goes on
        uow.session.execute(text("CREATE TEMPORARY TABLE kept (n int)"))
        reader = copy_out(_raw(uow), f"COPY ({ROWS}) TO STDOUT (FORMAT csv)", 1000)
        assert next(reader).startswith(b"1,")
        reader.close()
        uow.session.execute(text("INSERT INTO kept VALUES (1)"))
        assert uow.session.execute(text("SELECT count(*) FROM kept")).scalar_one() == 1
