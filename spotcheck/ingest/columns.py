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


def _cols(*pairs: tuple[str, str], optional: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """The columns in file order; those named in ``optional`` may be left out of the header."""
    return tuple(Column(name, alias, name not in optional) for name, alias in pairs)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "departments": _cols(
        ("code", "部门代码"),
        ("name", "部门名称"),
        ("name_en", "英文名称"),
        optional=("name_en",),
    ),
    "districts": _cols(
        ("code", "区划代码"),
        ("name", "区划名称"),
    ),
    "items": _cols(
        ("code", "事项编码"),
        ("department", "部门代码"),
        ("name", "事项名称"),
        ("legal_basis", "检查依据"),
        ("method", "检查方式"),
        ("key", "是否重点"),
        ("target_kinds", "检查对象类型"),
        ("field", "执法领域"),
        ("team_size", "每部门人数"),
        optional=("legal_basis", "team_size"),
    ),
    "enterprises": _cols(
        ("uscc", "统一社会信用代码"),
        ("name", "名称"),
        ("kind", "主体类型"),
        ("district", "区划代码"),
        ("industry", "行业门类"),
        ("status", "登记状态"),
        ("legal_rep", "法定代表人"),
        ("address", "住所"),
        ("registered_on", "成立日期"),
        optional=("legal_rep", "address", "registered_on"),
    ),
    "tiers": _cols(
        ("uscc", "统一社会信用代码"),
        ("tier", "信用风险分类"),
        ("effective", "生效日期"),
        ("batch", "批次号"),
    ),
    "inspectors": _cols(
        ("id", "人员编号"),
        ("name", "姓名"),
        ("department", "部门代码"),
        ("district", "区划代码"),
        ("certificate", "执法证号"),
        ("fields", "执法领域"),
        ("capacity", "季度检查上限"),
        ("active", "在岗"),
        optional=("active",),
    ),
    "experts": _cols(
        ("id", "专家编号"),
        ("name", "姓名"),
        ("department", "部门代码"),
        ("fields", "专业领域"),
    ),
    "conflicts": _cols(
        ("inspector", "人员编号"),
        ("uscc", "统一社会信用代码"),
        ("reason", "回避事由"),
        optional=("reason",),
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
