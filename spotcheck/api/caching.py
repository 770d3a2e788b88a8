"""Published answers are cached: what a publication makes public never changes (a correction appends, and
appends an audit entry), so public pages and ``/api/public`` answers carry an ETag (SHA-256 of the body) and
``Cache-Control: public, max-age=60, must-revalidate``, answer 304 to a matching ``If-None-Match``, and are kept
in an in-process cache keyed by the publication state: the audit log's last sequence number (every import, step,
publication and correction appends one) and the set of published plans (docs/api.md "Caching").

Never cached (``no-store`` from ``api.headers``): anything with a token or a sign-in cookie, anything not a GET,
anything but a 200, any page or answer about a plan that is not published, and an inclusion proof: it is
recomputed from the rows as stored now, so that a row altered behind the audit log fails its proof at once.

A cached answer needs no database work: the publication state is asked of the database at most once every
``Settings.public_state_seconds`` (default 1 s) per process, and at once after any write through this process
(any request that is not a GET or HEAD). A change made elsewhere (the CLI, another worker) is served at most that
long after it is committed; clients may keep an answer for ``max-age`` (60 s) anyway (docs/api.md "Caching").
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from spotcheck.config import Settings
from spotcheck.edge import COOKIE, get_public_uow_factory
from spotcheck.queries.publication_state import publication_state
from spotcheck.store.uow import UnitOfWork

__all__ = ["CACHE_CONTROL", "PublicationClock", "PublishedCache", "State", "install_cache"]

CACHE_CONTROL = "public, max-age=60, must-revalidate"
_PUBLIC = re.compile(r"^/(?:|firms/[^/]+|plans/\d+(?:/results\.(?:csv|xlsx))?|api/public/.+)$")
_PLAN = re.compile(r"^/(?:api/public/)?plans/(\d+)(?:/|$|\?)")
_UNCACHED = re.compile(r"^/api/public/results/\d+/proof$")
_KEPT_HEADERS = ("content-type", "content-disposition")


@dataclass(frozen=True)
class _Entry:
    body: bytes
    headers: dict[str, str]
    etag: str


class PublishedCache:
    """A bounded map from (path, query, publication state) to a stored answer."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[object, ...], _Entry] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple[object, ...], entry: _Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


State = tuple[int, frozenset[int]]


class PublicationClock:
    """The publication state (the cache key's half that the database knows), asked of the database at most once
    every ``seconds``, and by one request at a time: the readers that find it due while it is being asked wait
    for that answer rather than each asking (a busy server would otherwise ask once per waiting request).
    ``forget`` makes the next reader ask again; an answer asked for before it is handed to its own readers only.
    """

    def __init__(self, seconds: float, now: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._now = now
        self._known: tuple[float, State] | None = None
        self._generation = 0  # counts forget()
        self._asking: tuple[int, asyncio.Future[State]] | None = None

    async def state(self, factory: Callable[[], UnitOfWork]) -> State:
        known = self._known
        if known is not None and self._now() - known[0] < self.seconds:
            return known[1]
        if self._asking is None or self._asking[0] != self._generation:
            self._asking = (self._generation, asyncio.ensure_future(self._ask(factory, self._generation)))
        return await asyncio.shield(self._asking[1])

    async def _ask(self, factory: Callable[[], UnitOfWork], generation: int) -> State:
        at = self._now()
        try:
            value = await run_in_threadpool(publication_state, factory)
        finally:
            if self._asking is not None and self._asking[0] == generation:
                self._asking = None
        if generation == self._generation:
            self._known = (at, value)
        return value

    def forget(self) -> None:
        self._generation += 1
        self._known = None


def _answer(entry: _Entry, request: Request) -> Response:
    headers = {**entry.headers, "ETag": entry.etag, "Cache-Control": CACHE_CONTROL}
    asked = request.headers.get("if-none-match", "")
    if entry.etag in {tag.strip() for tag in asked.split(",")} or asked.strip() == "*":
        return Response(status_code=304, headers={"ETag": entry.etag, "Cache-Control": CACHE_CONTROL})
    return Response(entry.body, headers=headers)


def install_cache(app: FastAPI, settings: Settings) -> None:
    cache = PublishedCache()
    clock = PublicationClock(settings.public_state_seconds)
    app.state.published_cache = cache
    app.state.publication_clock = clock

    @app.middleware("http")
    async def _published(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if request.method not in ("GET", "HEAD"):  # a write: the next reader asks the database again
            try:
                return await call_next(request)
            finally:
                clock.forget()
        private = "authorization" in request.headers or COOKIE in request.cookies
        if request.method != "GET" or private or not _PUBLIC.match(path) or _UNCACHED.match(path):
            return await call_next(request)
        # read where the public answers are read (a hot standby, if any): the key then matches what is served
        seq, published = await clock.state(get_public_uow_factory(request))
        plan = _PLAN.match(path)
        if plan is not None and int(plan.group(1)) not in published:
            response = await call_next(request)
            response.headers["Cache-Control"] = "no-store"
            return response
        key = (path, str(request.url.query), seq, published)
        entry = cache.get(key)
        if entry is None:
            response = await call_next(request)
            if response.status_code != 200:
                return response
            body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
            etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
            kept = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
            entry = _Entry(body=body, headers=kept, etag=etag)
            cache.put(key, entry)
        return _answer(entry, request)
