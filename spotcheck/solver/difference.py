"""Where two JSON documents first differ: the path verify names when a recomputed record is not the published one
(docs/draw-spec.md §8, docs/assign-spec.md §7)."""

from __future__ import annotations

from typing import Any

__all__ = ["first_difference"]


def first_difference(published: Any, recomputed: Any, path: str = "$") -> str | None:
    """The JSON path of the first difference (keys in sorted order, lists by index), or None if equal."""
    if isinstance(published, dict) and isinstance(recomputed, dict):
        for key in sorted(set(published) | set(recomputed)):
            if key not in published or key not in recomputed:
                side = "recomputed draw" if key not in published else "record"
                return f"{path}.{key} (only in the {side})"
            found = first_difference(published[key], recomputed[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(published, list) and isinstance(recomputed, list):
        for i, (a, b) in enumerate(zip(published, recomputed, strict=False)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        if len(published) != len(recomputed):
            return f"{path} (record has {len(published)} entries, recomputed {len(recomputed)})"
        return None
    if type(published) is not type(recomputed) or published != recomputed:
        return f"{path} (record: {_short(published)}, recomputed: {_short(recomputed)})"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
