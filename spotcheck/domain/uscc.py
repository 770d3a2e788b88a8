"""Unified Social Credit Codes (统一社会信用代码, GB 32100-2015).

Validation is delegated to ``stdnum.cn.uscc``; spotcheck stores and compares only the canonical form
(upper-case ASCII, no separators). ``normalise`` says whether cleaning changed the input, so importers can
report it.
"""

from __future__ import annotations

from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc as _uscc

from spotcheck.domain.errors import ValidationError

__all__ = ["ALPHABET", "WEIGHTS", "check_char", "is_valid", "normalise"]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_char(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015 §4.3): 31 − (Σ value·weight mod 31), 31 → 0."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(raw: str) -> tuple[str, bool]:
    """Return (canonical code, whether cleaning changed it); raise ValidationError with the reason."""
    if raw is None or not str(raw).strip():
        raise ValidationError("credit code is empty")
    try:
        code = _uscc.validate(str(raw))
    except stdnum_exceptions.InvalidLength as exc:
        raise ValidationError(f"credit code {raw!r} must have 18 characters") from exc
    except stdnum_exceptions.InvalidFormat as exc:
        raise ValidationError(
            f"credit code {raw!r} has a character outside 0-9 A-Y without I O S V Z"
        ) from exc
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(f"credit code {raw!r} has a wrong check digit") from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(f"credit code {raw!r} is invalid: {exc}") from exc
    return code, code != raw


def is_valid(raw: str) -> bool:
    try:
        normalise(raw)
    except ValidationError:
        return False
    return True
