"""The account behind a command: ``--actor USER`` or ``$SPOTCHECK_USER`` names an account, whose id and username
the audit log records (``domain.access.actor_name``)."""

from __future__ import annotations

from spotcheck.domain.errors import SpotcheckError

__all__ = ["account_actor"]


def account_actor(username: str) -> str | None:
    """``user#ID:NAME`` of the enabled account named ``username``; None when there is none (or the database has
    no accounts table yet)."""
    from spotcheck.bootstrap import bootstrap
    from spotcheck.config import get_settings
    from spotcheck.domain.access import actor_name

    try:
        with bootstrap(get_settings()) as storage, storage.uow() as uow:
            row = uow.users.by_name(username.strip().lower())
            return None if row is None or row.disabled else actor_name(row.id, row.username)
    except SpotcheckError:  # not migrated yet: no account can act
        return None
