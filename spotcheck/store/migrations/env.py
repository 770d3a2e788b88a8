"""Alembic environment: the URL (or an open connection) comes from the caller via config.attributes,
never from a file, so the same migrations serve the CLI, the tests and the API."""

from __future__ import annotations

from alembic import context

from spotcheck.store.engine import make_engine
from spotcheck.store.tables import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.attributes["url"])
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
