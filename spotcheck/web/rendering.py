"""What every page shares: the templates and the static files (the sign-in: ``web.signin``).

Pages read through the same queries as the API (``spotcheck.queries``), so they show exactly what the API would.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

__all__ = ["mount_static", "templates"]

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
