"""Unit of Work: one session, one transaction; rolls back on exit unless ``commit()`` ran.

with UnitOfWork(engine) as uow:
    uow.directory.insert("departments", rows)
    uow.commit()
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from spotcheck.store.accounts_repo import (
    SessionRepository,
    ThrottleRepository,
    TokenRepository,
    UserRepository,
)
from spotcheck.store.directory_repo import DirectoryRepository
from spotcheck.store.errors import translated
from spotcheck.store.quarter_repo import AuditRepository, DrawRepository, PlanRepository

__all__ = ["UnitOfWork"]


class UnitOfWork:
    session: Session
    directory: DirectoryRepository
    plans: PlanRepository
    draws: DrawRepository
    audit: AuditRepository
    tokens: TokenRepository
    users: UserRepository
    sessions: SessionRepository
    throttle: ThrottleRepository

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Self:
        self.session = Session(self.engine, expire_on_commit=False)
        self.directory = DirectoryRepository(self.session)
        self.plans = PlanRepository(self.session)
        self.draws = DrawRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.tokens = TokenRepository(self.session)
        self.users = UserRepository(self.session)
        self.sessions = SessionRepository(self.session)
        self.throttle = ThrottleRepository(self.session)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        with translated("saving"):
            self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
