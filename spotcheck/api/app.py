"""The application factory: one FastAPI app serving the four users (docs/api.md) and the web pages.

``create_app(settings)`` opens the database named by the settings, and the read-only one the public routes read
through (docs/scale.md); tests pass ``uow_factory`` (and ``read_uow_factory``, default: the same) to use theirs.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from spotcheck.api import credit, inspector, proofs, public, regulator, steps
from spotcheck.api.caching import install_cache
from spotcheck.api.errors import ERROR_RESPONSES, install_error_handlers
from spotcheck.api.headers import install_headers
from spotcheck.api.limits import BodyLimit
from spotcheck.bootstrap import bootstrap
from spotcheck.config import Settings
from spotcheck.store.base import utcnow
from spotcheck.store.uow import UnitOfWork
from spotcheck.web import firm_page
from spotcheck.web import inspector as inspector_pages
from spotcheck.web import public as public_pages
from spotcheck.web import regulator as regulator_pages
from spotcheck.web.rendering import mount_static

__all__ = ["create_app"]

DESCRIPTION = """\
双随机、一公开 spot checks. Regulators plan and run the quarter, inspectors see and record only their own visits,
the public reads what is published and recomputes the draw, the credit system pushes tiers and reads results.
Authenticate with `Authorization: Bearer TOKEN` (tokens from `spotcheck token create --user NAME`); the public
needs none. A signed-in session's cookie (the pages' sign-in) is accepted for reads (GET) too.
"""


def create_app(
    settings: Settings,
    *,
    uow_factory: Callable[[], UnitOfWork] | None = None,
    read_uow_factory: Callable[[], UnitOfWork] | None = None,
) -> FastAPI:
    # /docs and /redoc from the assets fastapi-offline bundles (Swagger UI, ReDoc, favicon): no CDN, so they
    # work on an intranet without internet (docs/api.md).
    app = FastAPIOffline(title="spotcheck", version="0.1.0", description=DESCRIPTION)
    if uow_factory is None:
        storage = bootstrap(settings)
        app.state.engine = storage.engine
        app.state.read_engine = storage.read_engine
        uow_factory = storage.uow
        read_uow_factory = read_uow_factory or storage.read_uow
    app.state.uow_factory = uow_factory
    app.state.read_uow_factory = read_uow_factory or uow_factory
    app.state.settings = settings
    app.state.clock = utcnow  # sessions, tokens and sign-in throttling read this; tests set their own
    install_error_handlers(app)
    app.add_middleware(BodyLimit)  # inside the headers: a 413 carries them too
    install_cache(
        app, settings
    )  # inside the headers (their no-store for signed-in callers applies), outside the limit
    install_headers(app)
    for module in (public, proofs, regulator, steps, inspector, credit):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    for pages in (public_pages, firm_page, regulator_pages, inspector_pages):
        app.include_router(pages.router, responses=ERROR_RESPONSES)
    mount_static(app)
    return app
