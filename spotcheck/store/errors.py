"""Map SQLAlchemy's exceptions to spotcheck's at the store boundary (``raise X from exc``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from spotcheck.domain.errors import SpotcheckError, ValidationError

__all__ = ["Busy", "StorageError", "translated"]


class StorageError(SpotcheckError):
    """The database failed (unreachable, locked, not migrated): not the caller's input."""


class Busy(StorageError):
    """Another request holds the lock or changed the same rows first: the caller may simply try again."""


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Run a block, turning SQLAlchemy errors into ValidationError (a constraint refused the data), Busy (a
    lock held by another request) or StorageError (anything else)."""
    try:
        yield
    except IntegrityError as exc:
        raise ValidationError(f"{action}: refused by the database: {_first_line(exc)}") from exc
    except OperationalError as exc:
        if any(word in _first_line(exc).lower() for word in ("locked", "busy", "deadlock")):
            raise Busy(f"{action}: the database is busy") from exc
        raise _storage(action, exc) from exc
    except SQLAlchemyError as exc:
        raise _storage(action, exc) from exc


def _storage(action: str, exc: SQLAlchemyError) -> StorageError:
    missing = "no such table" in str(exc) or "does not exist" in str(exc)
    hint = " (run `spotcheck db upgrade`?)" if missing else ""
    return StorageError(f"{action}: database error{hint}: {_first_line(exc)}")


def _first_line(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", exc) or exc).splitlines()[0]
