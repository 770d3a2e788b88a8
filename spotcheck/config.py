"""The one settings object, read at the edges (CLI, API) and passed inward as arguments
(``spotcheck.bootstrap.bootstrap(settings)`` opens the database it names)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPOTCHECK_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""  # default: a SQLite file in data_dir
    # sign-in (docs/api.md "Accounts, sign-in and tokens")
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_hours: int = Field(default=8, ge=1, le=7 * 24)
    cookie_secure: bool = False  # Secure cookies even over http (set it behind a TLS-terminating proxy)
    token_days: int = Field(default=90, ge=1, le=3660)
    # The public routes read through a read-only engine on this URL, e.g. a PostgreSQL hot standby
    # (docs/scale.md "Public reads from hot standbys"); default: the primary database.
    read_database_url: str = ""
    # Published answers are cached; the publication state that keys them is asked of the database at most this
    # often per process (docs/api.md "Caching"). 0: on every request.
    public_state_seconds: float = Field(default=1.0, ge=0, le=60)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'spotcheck.sqlite').resolve()}"

    @property
    def resolved_read_database_url(self) -> str:
        return self.read_database_url or self.resolved_database_url


def get_settings() -> Settings:
    return Settings()
