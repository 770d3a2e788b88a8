"""Canonical JSON: the one text form of every hashed or published value (docs/ceremony.md "Audit chain").

Sorted keys, compact separators, UTF-8 text (``ensure_ascii=False``), no floats: the same value always gives the
same bytes, so a hash over them can be recomputed by anyone with any JSON library that sorts keys.
"""

from __future__ import annotations

import json
import re
from typing import Any

from spotcheck.domain.errors import ValidationError

__all__ = ["canonical_json"]


def canonical_json(value: Any) -> str:
    """Sorted keys, compact separators, UTF-8 text; floats refused (their rendering is not canonical)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if _has_float_token(text):
        raise ValidationError("audit payloads may not contain floats; use integers or fraction strings")
    return text


# What ``json.dumps`` writes for a float and for nothing else outside a string: a digit then "." or an
# exponent, or the non-numbers. Integers, true, false and null never match.
_FLOAT = re.compile(r"[0-9](?:\.|[eE])|NaN|Infinity")


def _has_float_token(text: str) -> bool:
    """Whether JSON text has a float outside its strings (escapes removed first, so the quotes pair up): one
    pass over the text in C, where walking the value in Python cost seconds per city quarter."""
    outside = text.replace("\\\\", "").replace('\\"', "").split('"')[::2]
    return _FLOAT.search("".join(outside)) is not None
