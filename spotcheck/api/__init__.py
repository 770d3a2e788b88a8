"""The HTTP API (FastAPI): one router per user — regulator, inspector, public, credit — over the store."""

from spotcheck.api.app import create_app

__all__ = ["create_app"]
