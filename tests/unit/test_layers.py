"""Imports point inward: domain, solver and evidence never import a database, web framework or settings; the edges (API,
pages, CLI) read through services and queries, never the tables or SQL themselves; the pages never import the
API; who may do what (``domain.access``) is pure."""

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
EDGES = ("api", "web", "cli", "cli.py")
NOT_AT_THE_EDGES = ("spotcheck.store.tables", "spotcheck.store.quarter", "spotcheck.store.ledger")
SQL_AT_THE_EDGES = ("select", "insert", "update", "delete")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def imported_names(path: Path) -> list[str]:
    """``module.name`` for each ``from module import name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{node.module}.{a.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for a in node.names
    ]


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _files(*parts: str) -> list[Path]:
    found: list[Path] = []
    for part in parts:
        path = PACKAGE / part
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else []
    return found


@pytest.mark.parametrize("layer", ["domain", "solver", "evidence"])
def test_pure_layers_import_no_framework(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"no modules in {layer}"
    offenders = [
        f"{f.relative_to(PACKAGE)} imports {m}"
        for f in files
        for m in imported_modules(f)
        if _within(m, FORBIDDEN)
    ]
    assert offenders == []


def edge_offenders(files: list[Path]) -> list[str]:
    """Table modules imported at the edges, and SQL statements built there."""
    sql = {f"sqlalchemy.{verb}" for verb in SQL_AT_THE_EDGES}
    return [
        f"{f.name} imports {m}"
        for f in files
        for m in imported_modules(f) + [n for n in imported_names(f) if n in sql]
        if _within(m, NOT_AT_THE_EDGES) or m in sql
    ]


def test_edges_hold_no_tables_and_no_sql() -> None:
    files = _files(*EDGES)
    assert any(f.parent.name == "api" for f in files) and any(f.parent.name == "web" for f in files)
    assert edge_offenders(files) == []


def test_pages_never_import_the_api() -> None:
    files = _files("web")
    assert files
    offenders = [
        f"{f.relative_to(PACKAGE)} imports {m}"
        for f in files
        for m in imported_modules(f)
        if _within(m, ("spotcheck.api",))
    ]
    assert offenders == []


def test_access_rules_are_pure() -> None:
    path = PACKAGE / "domain" / "access.py"
    assert path.exists()
    assert [m for m in imported_modules(path) if _within(m, FORBIDDEN)] == []


def test_the_layer_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from sqlalchemy import select\n", encoding="utf-8")
    assert "sqlalchemy" in imported_modules(bad)


def test_the_edge_check_can_fail(tmp_path: Path) -> None:
    tables = tmp_path / "tables.py"
    tables.write_text("from spotcheck.store.tables import PlanRow\n", encoding="utf-8")
    sql = tmp_path / "sql.py"
    sql.write_text("from sqlalchemy import func, select\n", encoding="utf-8")
    assert edge_offenders([tables, sql]) == [
        "tables.py imports spotcheck.store.tables",
        "sql.py imports sqlalchemy.select",
    ]
