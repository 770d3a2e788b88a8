"""Benchmarks: not part of the test gate. Each ``bench_*.py`` has ``run(results_dir, quick)``; results go to files."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["write_result"]


def write_result(path: Path, data: Mapping[str, Any]) -> Path:
    """One JSON file per benchmark: its figures plus the machine they were measured on (sorted keys, UTF-8)."""
    machine = {
        "system": platform.system(),
        "arch": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    body = {**data, "machine": machine}
    path.write_text(json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
