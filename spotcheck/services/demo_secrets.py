"""The demo's ceremony secrets: random on every run (``secrets``), kept in a local file so a rerun can resume.

The file (``data/demo-secrets.json`` beside the demo city, git-ignored) is JSON
``{"<year>Q<quarter>": {"<department>": "<64 hex>"}}``, created with mode 0600 and rewritten whole (through a
temporary file) before a secret is committed, so a crash never leaves a commitment whose secret is lost.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from spotcheck.services.seeding import new_secret

__all__ = ["quarter_secrets"]


def _read(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(q): {str(d): str(s) for d, s in v.items()} for q, v in data.items()}


def _write(path: Path, data: dict[str, dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle, sort_keys=True, indent=1)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def quarter_secrets(path: Path, year: int, quarter: int, departments: Iterable[str]) -> dict[str, str]:
    """Every department's demo secret for the quarter: the ones kept in ``path``, new random ones for the rest
    (written to ``path`` before they are returned)."""
    data = _read(path)
    key = f"{year}Q{quarter}"
    kept = data.setdefault(key, {})
    fresh = [d for d in departments if d not in kept]
    for department in fresh:
        kept[department] = new_secret()
    if fresh or not path.exists():
        _write(path, data)
    return {d: kept[d] for d in departments}
