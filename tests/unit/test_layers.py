"""Imports point inward: domain, solver and evidence never import a database, web framework or settings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "spotcheck"
FORBIDDEN = (
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "spotcheck.config",
    "spotcheck.store",
    "spotcheck.api",
    "spotcheck.services",
)


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", ["domain", "solver", "evidence"])
def test_pure_layers_import_no_framework(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"no modules in {layer}"
    offenders = [
        f"{f.relative_to(PACKAGE)} imports {m}"
        for f in files
        for m in imported_modules(f)
        if any(m == bad or m.startswith(bad + ".") for bad in FORBIDDEN)
    ]
    assert offenders == []


def test_the_layer_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from sqlalchemy import select\n", encoding="utf-8")
    assert "sqlalchemy" in imported_modules(bad)
