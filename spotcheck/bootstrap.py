"""The one place that turns settings into a database connection: every entry point (CLI, API app, demo,
benchmarks) calls ``bootstrap(settings)`` instead of building engines itself.

    with bootstrap(settings, migrate=True) as storage:   # migrate: bring the schema to head first
        run_draw(storage.uow(), plan_id, secrets, actor=...)

``storage.uow`` is the unit-of-work factory the use cases take (``spotcheck.services``): each call returns a new,
un-entered ``UnitOfWork`` on the same engine. ``storage.read_uow`` is the same over the read-only engine the public
routes use (``Settings.resolved_read_database_url``: a hot standby, or the primary; docs/scale.md). ``close()`` (or
leaving the ``with``) disposes both engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Self

from sqlalchemy import Engine

from spotcheck.config import Settings
from spotcheck.store.engine import make_engine
from spotcheck.store.migrate import upgrade
from spotcheck.store.read_engine import make_read_engine
from spotcheck.store.uow import UnitOfWork

__all__ = ["Storage", "bootstrap"]


@dataclass(frozen=True)
class Storage:
    """The engine for the configured database, the read-only engine for public reads, and the unit-of-work
    factories over them."""

    url: str
    engine: Engine
    read_url: str
    read_engine: Engine

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def read_uow(self) -> UnitOfWork:
        """A unit of work whose every write fails (``store.read_engine``): for the public's reads only."""
        return UnitOfWork(self.read_engine)

    def close(self) -> None:
        self.read_engine.dispose()
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def bootstrap(settings: Settings, *, migrate: bool = False) -> Storage:
    """Open the database the settings name (``Settings.resolved_database_url``); with ``migrate``, first bring
    its schema to the newest revision (idempotent; schema changes only through the shipped migrations). The read
    engine is opened on ``Settings.resolved_read_database_url``; a standby gets its schema from the primary."""
    url = settings.resolved_database_url
    if migrate:
        upgrade(url)
    read_url = settings.resolved_read_database_url
    return Storage(
        url=url, engine=make_engine(url), read_url=read_url, read_engine=make_read_engine(read_url)
    )
