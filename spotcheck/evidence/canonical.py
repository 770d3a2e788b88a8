"""Canonical JSON: the one text form of every hashed or published value (docs/ceremony.md "Audit chain").

Sorted keys, compact separators, UTF-8 text (``ensure_ascii=False``), no floats: the same value always gives the
same bytes, so a hash over them can be recomputed by anyone with any JSON library that sorts keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from spotcheck.domain.errors import ValidationError

__all__ = ["canonical_json"]


def canonical_json(value: Any) -> str:
    """Sorted keys, compact separators, UTF-8 text; floats refused (their rendering is not canonical)."""
    _no_floats(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _no_floats(value: Any) -> None:
    if isinstance(value, float):
        raise ValidationError("audit payloads may not contain floats; use integers or fraction strings")
    if isinstance(value, Mapping):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _no_floats(item)
