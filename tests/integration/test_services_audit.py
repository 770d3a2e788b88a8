"""Concurrent appenders keep one unbroken audit chain (advisory lock on PostgreSQL, single writer on SQLite)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from spotcheck.services.common import audit
from spotcheck.services.publication import verify_audit
from spotcheck.store import UnitOfWork


def test_concurrent_appends_never_fork_the_chain(uow_factory: Callable[[], UnitOfWork]) -> None:
    def append(worker: int) -> None:
        for n in range(15):
            with uow_factory() as uow:
                audit(uow, "test", f"worker-{worker}", {"n": n})
                uow.commit()

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(append, range(3)))
    head, entries = verify_audit(uow_factory())
    assert entries == 45 and len(head) == 64
    with uow_factory() as uow:
        assert [e.seq for e in uow.audit.entries()] == list(range(1, 46))
