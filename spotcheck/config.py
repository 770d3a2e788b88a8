"""The one settings object, read at the edges (CLI, API) and passed inward as arguments."""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_SECRET", "Settings", "get_settings"]

DEFAULT_SECRET = "dev-only-secret"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPOTCHECK_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""  # default: a SQLite file in data_dir
    secret_key: str = DEFAULT_SECRET  # refused outside dev
    env: str = "dev"

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        # A deployment that forgot to set its secret must not start with the one printed in the source.
        if self.env != "dev" and self.secret_key == DEFAULT_SECRET:
            raise ValueError(f"SPOTCHECK_SECRET_KEY must be set when SPOTCHECK_ENV={self.env!r} (not 'dev')")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'spotcheck.sqlite').resolve()}"


def get_settings() -> Settings:
    return Settings()
