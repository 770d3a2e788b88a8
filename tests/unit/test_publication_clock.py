"""The published-answer cache asks the database for the publication state at most once an interval, by one
request at a time, and again right after a write through the same process (spotcheck.api.caching, docs/api.md
"Caching")."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

import pytest

from spotcheck.api import caching
from spotcheck.api.caching import PublicationClock


@dataclass
class SlowState:
    """The publication state, answered only once ``release`` is set; ``asked`` counts the questions."""

    asked: list[int] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def __call__(self, _factory: object) -> tuple[int, frozenset[int]]:
        self.asked.append(1)
        self.release.wait(5)
        return len(self.asked), frozenset()


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> SlowState:
    state = SlowState()
    monkeypatch.setattr(caching, "publication_state", state)
    return state


def test_the_state_is_asked_once_an_interval_and_after_forget(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    def state(_factory: object) -> tuple[int, frozenset[int]]:
        asked.append(1)
        return len(asked), frozenset({7})

    monkeypatch.setattr(caching, "publication_state", state)
    now = [100.0]
    clock = PublicationClock(1.0, now=lambda: now[0])

    def read() -> tuple[int, frozenset[int]]:
        return asyncio.run(clock.state(lambda: None))  # type: ignore[arg-type,return-value]

    assert [read(), read()] == [(1, frozenset({7}))] * 2
    now[0] = 100.99
    assert read() == (1, frozenset({7})) and len(asked) == 1
    now[0] = 101.0
    assert read() == (2, frozenset({7}))
    clock.forget()
    assert read() == (3, frozenset({7})) and len(asked) == 3


def test_zero_seconds_asks_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    monkeypatch.setattr(caching, "publication_state", lambda _f: asked.append(1) or (0, frozenset()))
    clock = PublicationClock(0.0)
    for _ in range(3):
        asyncio.run(clock.state(lambda: None))  # type: ignore[arg-type]
    assert len(asked) == 3


def test_readers_that_find_it_due_together_share_one_question(slow: SlowState) -> None:
    clock = PublicationClock(1.0)

    async def many() -> list[tuple[int, frozenset[int]]]:
        readers = [asyncio.ensure_future(clock.state(lambda: None)) for _ in range(20)]  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        slow.release.set()
        return await asyncio.gather(*readers)

    assert asyncio.run(many()) == [(1, frozenset())] * 20 and len(slow.asked) == 1


def test_an_answer_asked_before_a_write_is_not_kept(slow: SlowState) -> None:
    clock = PublicationClock(60.0)

    async def around_a_write() -> tuple[tuple[int, frozenset[int]], tuple[int, frozenset[int]]]:
        before = asyncio.ensure_future(clock.state(lambda: None))  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        clock.forget()  # a write finished while the question was out
        slow.release.set()
        first = await before
        return first, await clock.state(lambda: None)  # type: ignore[arg-type]

    first, after = asyncio.run(around_a_write())
    assert first == (1, frozenset()) and after == (2, frozenset()) and len(slow.asked) == 2
