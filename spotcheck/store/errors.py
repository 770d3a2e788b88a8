"""Map SQLAlchemy's exceptions to spotcheck's at the store boundary (``raise X from exc``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from spotcheck.domain.errors import SpotcheckError, ValidationError

__all__ = ["StorageError", "translated"]


class StorageError(SpotcheckError):
    """The database failed (unreachable, locked, not migrated): not the caller's input."""


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Run a block, turning SQLAlchemy errors into ValidationError (a constraint refused the data) or
    StorageError (anything else)."""
    try:
        yield
    except IntegrityError as exc:
        raise ValidationError(f"{action}: refused by the database: {_first_line(exc)}") from exc
    except SQLAlchemyError as exc:
        missing = "no such table" in str(exc) or "does not exist" in str(exc)
        hint = " (run `spotcheck db upgrade`?)" if missing else ""
        raise StorageError(f"{action}: database error{hint}: {_first_line(exc)}") from exc


def _first_line(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", exc) or exc).splitlines()[0]
