"""Running the service: the database schema and the HTTP server (accounts and tokens: ``cli.accounts``)."""

from __future__ import annotations

from typing import Annotated

import typer

from spotcheck.cli.shared import database_url, exits_on_error, fail

__all__ = ["db_current", "db_upgrade", "serve_command"]


def db_upgrade(revision: Annotated[str, typer.Argument(help="target revision")] = "head") -> None:
    """Create or migrate the tables on SPOTCHECK_DATABASE_URL (default: data/spotcheck.sqlite)."""
    from spotcheck.store.migrate import current, upgrade

    url = database_url()
    with exits_on_error():
        upgrade(url, revision)
        typer.echo(f"database at revision {current(url)}")


def db_current() -> None:
    """Show the database's schema revision and the newest one this version ships."""
    from spotcheck.store.migrate import current, head

    with exits_on_error():
        typer.echo(f"database: {current(database_url()) or '(not migrated)'}; newest: {head()}")


def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the API and the public page (uvicorn)."""
    import uvicorn

    from spotcheck.api import create_app
    from spotcheck.config import get_settings

    try:
        application = create_app(get_settings())
    except ValueError as exc:  # settings that do not validate
        raise fail(exc) from exc
    typer.echo(
        f"spotcheck API on http://{host}:{port} (public page /, regulators /regulator, inspectors /inspector, docs /docs)"
    )
    uvicorn.run(application, host=host, port=port, log_level="info")
