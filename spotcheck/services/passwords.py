"""Passwords hashed with argon2id (``argon2-cffi``, RFC 9106's recommended parameters): the database keeps only
the encoded hash, which names its own parameters, so stronger settings later still verify older hashes.

``verify`` against ``DUMMY`` when no account matches, so that an unknown username takes as long as a wrong
password (docs/api.md "Accounts, sign-in and tokens").
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "needs_rehash", "verify_nobody", "verify_password"]

_hasher = PasswordHasher()  # argon2id by default


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(encoded: str | None, password: str) -> bool:
    """True when ``password`` matches ``encoded``; an account without a password never matches (but still
    spends the time of one verification)."""
    if encoded is None:
        verify_nobody(password)
        return False
    try:
        return _hasher.verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str) -> bool:
    return _hasher.check_needs_rehash(encoded)


@cache
def _dummy() -> str:
    return _hasher.hash("no account has this password, it only spends the time of one")


def verify_nobody(password: str) -> None:
    """Spend one verification's time on a dummy hash (an unknown username)."""
    try:
        _hasher.verify(_dummy(), password)
    except VerificationError:
        pass
