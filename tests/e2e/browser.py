"""What the browser tests share: Debian's Chromium and the flags it runs headless with, the app served by
uvicorn on a free loopback port, screenshots into ``tests/artifacts/`` (git-ignored), and the check that a
page does not scroll sideways at its viewport's width (docs/api.md: phone first, 390 px wide).

The ``playwright`` and ``browser`` fixtures (tests/e2e/conftest.py) launch this Chromium and skip the test
where Playwright or Chromium is missing.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from spotcheck.api import create_app
from spotcheck.config import Settings
from spotcheck.store.uow import UnitOfWork
from tests.pg_cluster import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@contextmanager
def served(uow_factory: Callable[[], UnitOfWork]) -> Iterator[str]:
    """The app over ``uow_factory``, served on a free loopback port while the block runs; yields its base URL."""
    port = free_port()
    app = create_app(Settings(), uow_factory=uow_factory)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        threading.Event().wait(0.05)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def screenshot(tab: Any, name: str) -> Path:
    """The whole page, saved as ``tests/artifacts/{name}.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def assert_fits(tab: Any, what: str = "") -> None:
    """The page does not scroll sideways at its viewport's width."""
    width = tab.viewport_size["width"]
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= width, what or tab.url
