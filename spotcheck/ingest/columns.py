"""The columns of each input file kind (docs/formats.md): English names, Chinese aliases, which are required.

A header is resolved to canonical English names; unknown, duplicated or missing columns are refused on line 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from spotcheck.domain.errors import Problem

__all__ = ["COLUMNS", "FILE_NAMES", "KEYS", "KINDS", "Column", "resolve_header"]


@dataclass(frozen=True)
class Column:
    name: str
    alias: str  # the Chinese header
    required: bool = True  # must appear in the header (a value may still be optional)


def _cols(*spec: tuple[str, str, bool]) -> tuple[Column, ...]:
    return tuple(Column(name, alias, required) for name, alias, required in spec)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "departments": _cols(
        ("code", "部门代码", True), ("name", "部门名称", True), ("name_en", "英文名称", False)
    ),
    "districts": _cols(("code", "区划代码", True), ("name", "区划名称", True)),
    "items": _cols(
        ("code", "事项编码", True),
        ("department", "部门代码", True),
        ("name", "事项名称", True),
        ("legal_basis", "检查依据", False),
        ("method", "检查方式", True),
        ("key", "是否重点", True),
        ("target_kinds", "检查对象类型", True),
        ("field", "执法领域", True),
        ("team_size", "每部门人数", False),
    ),
    "enterprises": _cols(
        ("uscc", "统一社会信用代码", True),
        ("name", "名称", True),
        ("kind", "主体类型", True),
        ("district", "区划代码", True),
        ("industry", "行业门类", True),
        ("status", "登记状态", True),
        ("legal_rep", "法定代表人", False),
        ("address", "住所", False),
        ("registered_on", "成立日期", False),
    ),
    "tiers": _cols(
        ("uscc", "统一社会信用代码", True),
        ("tier", "信用风险分类", True),
        ("effective", "生效日期", True),
        ("batch", "批次号", True),
    ),
    "inspectors": _cols(
        ("id", "人员编号", True),
        ("name", "姓名", True),
        ("department", "部门代码", True),
        ("district", "区划代码", True),
        ("certificate", "执法证号", True),
        ("fields", "执法领域", True),
        ("capacity", "季度检查上限", True),
        ("active", "在岗", False),
    ),
    "experts": _cols(
        ("id", "专家编号", True),
        ("name", "姓名", True),
        ("department", "部门代码", True),
        ("fields", "专业领域", True),
    ),
    "conflicts": _cols(
        ("inspector", "人员编号", True), ("uscc", "统一社会信用代码", True), ("reason", "回避事由", False)
    ),
}

# The kinds in dependency order: a kind only refers to kinds before it.
KINDS: tuple[str, ...] = tuple(COLUMNS)

FILE_NAMES: dict[str, str] = {
    "departments": "departments.csv",
    "districts": "districts.csv",
    "items": "check_items.csv",
    "enterprises": "enterprises.csv",
    "tiers": "tiers.csv",
    "inspectors": "inspectors.csv",
    "experts": "experts.csv",
    "conflicts": "conflicts.csv",
}

KEYS: dict[str, tuple[str, ...]] = {
    "departments": ("code",),
    "districts": ("code",),
    "items": ("code",),
    "enterprises": ("uscc",),
    "tiers": ("uscc", "effective", "batch"),
    "inspectors": ("id",),
    "experts": ("id",),
    "conflicts": ("inspector", "uscc"),
}


def resolve_header(kind: str, header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Map canonical column name -> position; problems (line 1) for unknown, repeated or missing columns."""
    columns = COLUMNS[kind]
    by_label: dict[str, str] = {}
    for col in columns:
        by_label[col.name] = col.name
        by_label[col.alias] = col.name
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for index, raw in enumerate(header):
        label = (raw or "").strip().lstrip("\ufeff")
        name = by_label.get(label) or by_label.get(label.lower())
        if name is None:
            if label or any(h.strip() for h in header[index + 1 :]):
                problems.append(Problem(1, label or f"column {index + 1}", "unknown column"))
            continue
        if name in positions:
            problems.append(Problem(1, label, f"column {name} appears twice"))
            continue
        positions[name] = index
    for col in columns:
        if col.required and col.name not in positions:
            problems.append(Problem(1, col.name, f"missing column {col.name} ({col.alias})"))
    return positions, problems
