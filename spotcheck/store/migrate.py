"""Schema changes only through Alembic. The migrations ship inside the package; the URL is passed in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import SQLAlchemyError

from spotcheck.domain.errors import SpotcheckError
from spotcheck.store.engine import make_engine

__all__ = ["MIGRATIONS", "alembic_config", "current", "downgrade", "head", "upgrade"]

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    return config


def _migrate(url: str, step: Callable[[Config, str], None], revision: str) -> None:
    """Run alembic's ``step`` (upgrade or downgrade) to ``revision`` on ``url`` in one transaction."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            step(config, revision)
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (idempotent)."""
    try:
        _migrate(url, command.upgrade, revision)
    except SQLAlchemyError as exc:
        raise SpotcheckError(f"database migration failed: {exc}") from exc


def downgrade(url: str, revision: str) -> None:
    """Take the database at ``url`` down to ``revision`` ("base": before the first). The application only
    upgrades; tests use this to check each migration's way back."""
    _migrate(url, command.downgrade, revision)


def current(url: str) -> str | None:
    """The revision the database is at (None: never migrated)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        raise SpotcheckError(f"cannot read the database revision: {exc}") from exc
    finally:
        engine.dispose()


def head() -> str:
    """The newest revision shipped with this version of spotcheck."""
    revision = ScriptDirectory.from_config(alembic_config("")).get_current_head()
    assert revision is not None
    return revision
