"""Taking a test database down to an earlier revision, which the application never does (it only upgrades)."""

from __future__ import annotations

from alembic import command

from spotcheck.store.engine import make_engine
from spotcheck.store.migrate import alembic_config


def downgrade(url: str, revision: str) -> None:
    """Bring the database at ``url`` down to ``revision`` ("base": before the first) in one transaction."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()
