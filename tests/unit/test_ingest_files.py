"""Reading one file: headers in English or Chinese, every bad row reported with its line, codes normalised."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import EntityKind, Method, Status
from spotcheck.ingest import parse_file
from tests.conftest import REAL_CODES, make_code

ENTERPRISE_HEADER = ["uscc", "name", "kind", "district", "industry", "status"]


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def firm(code: str, name: str = "某公司") -> list[str]:
    return [code, name, "enterprise", "371302", "C", "active"]


def problems_of(kind: str, path: Path) -> list[tuple[int | None, str | None, str]]:
    parsed = parse_file(kind, path)
    with pytest.raises(ValidationError) as caught:
        parsed.raise_if_bad()
    assert "nothing was imported" in str(caught.value)
    return [(p.line, p.field, p.reason) for p in caught.value.problems]


def places(found: list[tuple[int | None, str | None, str]]) -> list[tuple[int | None, str | None]]:
    """The line and the field of each problem found, in the order they are reported."""
    return [(line, field) for line, field, _ in found]


def test_valid_codes_are_read_in_file_order_with_their_lines(tmp_path: Path) -> None:
    codes = [*REAL_CODES, make_code(7)]
    parsed = parse_file("enterprises", write(tmp_path / "e.csv", ENTERPRISE_HEADER, [firm(c) for c in codes]))
    assert parsed.problems == [] and parsed.normalised == []
    assert [(line, r.uscc) for line, r in parsed.records] == [(2, codes[0]), (3, codes[1]), (4, codes[2])]
    assert parsed.records[0][1].kind is EntityKind.ENTERPRISE and parsed.records[0][1].status is Status.ACTIVE


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350200776049653B", "wrong check digit"),
        ("9135020077604965IA", "character outside"),
        ("9135020077604965OA", "character outside"),
        ("9135020077604965SA", "character outside"),
        ("9135020077604965VA", "character outside"),
        ("9135020077604965ZA", "character outside"),
        ("91350200776049653", "18 characters"),
        ("91350200776049653AA", "18 characters"),
        ("", "missing value"),
    ],
)
def test_each_broken_code_is_named_with_its_line(tmp_path: Path, code: str, reason: str) -> None:
    rows = [firm(REAL_CODES[0]), firm(code), firm(REAL_CODES[1])]
    found = problems_of("enterprises", write(tmp_path / "e.csv", ENTERPRISE_HEADER, rows))
    assert len(found) == 1
    line, field, text = found[0]
    assert (line, field) == (3, "uscc") and reason in text


def test_every_bad_row_is_reported_not_just_the_first(tmp_path: Path) -> None:
    rows = [firm("91350200776049653B"), firm(REAL_CODES[0]), firm("X"), firm(REAL_CODES[1])]
    rows[3][2] = "company"
    found = problems_of("enterprises", write(tmp_path / "e.csv", ENTERPRISE_HEADER, rows))
    assert places(found) == [(2, "uscc"), (4, "uscc"), (5, "kind")]


def test_duplicates_name_the_first_line_also_after_normalising(tmp_path: Path) -> None:
    rows = [firm(REAL_CODES[1]), firm(make_code(3)), firm(REAL_CODES[1].lower())]
    found = problems_of("enterprises", write(tmp_path / "e.csv", ENTERPRISE_HEADER, rows))
    assert found == [(4, "uscc", f"duplicate {REAL_CODES[1]} (first on line 2)")]


def test_lower_case_and_full_width_codes_are_normalised_and_reported(tmp_path: Path) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in REAL_CODES[0])  # ９１３５… : full-width forms
    rows = [firm(REAL_CODES[1].lower()), firm(full_width), firm(make_code(5))]
    parsed = parse_file("enterprises", write(tmp_path / "e.csv", ENTERPRISE_HEADER, rows))
    assert parsed.problems == []
    assert [r.uscc for _, r in parsed.records] == [REAL_CODES[1], REAL_CODES[0], make_code(5)]
    assert [(n.line, n.raw, n.code) for n in parsed.normalised] == [
        (2, REAL_CODES[1].lower(), REAL_CODES[1]),
        (3, full_width, REAL_CODES[0]),
    ]


def test_chinese_headers_in_any_order_and_chinese_values(tmp_path: Path) -> None:
    header = ["登记状态", "统一社会信用代码", "名称", "主体类型", "区划代码", "行业门类", "成立日期"]
    rows = [
        ["存续", REAL_CODES[0], "厦门某公司", "企业", "371302", "F", "2012-05-03"],
        ["注销", REAL_CODES[1], "广州某公司", "个体工商户", "371311", "h", ""],
    ]
    parsed = parse_file("enterprises", write(tmp_path / "e.csv", header, rows))
    assert parsed.problems == []
    first, second = (r for _, r in parsed.records)
    assert (first.status, first.kind, first.registered_on.isoformat() if first.registered_on else "") == (
        Status.ACTIVE,
        EntityKind.ENTERPRISE,
        "2012-05-03",
    )
    assert (second.status, second.kind, second.industry, second.registered_on) == (
        Status.DEREGISTERED,
        EntityKind.INDIVIDUAL,
        "H",
        None,
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ([*ENTERPRISE_HEADER, "website"], "unknown column"),
        (["uscc", "name", "kind", "district", "industry"], "missing column status"),
        ([*ENTERPRISE_HEADER, "统一社会信用代码"], "appears twice"),
    ],
)
def test_bad_headers_are_refused_on_line_1(tmp_path: Path, header: list[str], message: str) -> None:
    path = write(tmp_path / "e.csv", header, [[*firm(REAL_CODES[0]), ""]])
    with pytest.raises(ValidationError) as caught:
        parse_file("enterprises", path)
    assert [p.line for p in caught.value.problems] == [1]
    assert message in str(caught.value)


def test_inspector_rows_check_capacity_district_and_department_codes(tmp_path: Path) -> None:
    header = ["id", "name", "department", "district", "certificate", "fields", "capacity", "active"]
    rows = [
        ["I-1", "张三", "SCJG", "市级", "Z1", "market;quality", "10", "是"],
        ["I-2", "李四", "SCJG", "371302", "Z2", "market", "-1", "1"],
        ["I-3", "王五", "SCJG", "Lanshan", "Z3", "market", "ten", "1"],
        ["I-4", "赵六", "SCJG", "371302", "Z4", "", "3", "maybe"],
    ]
    found = problems_of("inspectors", write(tmp_path / "i.csv", header, rows))
    assert places(found) == [(3, "capacity"), (4, "capacity"), (4, "district"), (5, "active"), (5, "fields")]
    parsed = parse_file("inspectors", tmp_path / "i.csv")
    assert parsed.records[0][1].district == "city" and parsed.records[0][1].fields == ("market", "quality")


def test_item_rows_check_team_size_method_kinds_and_key(tmp_path: Path) -> None:
    header = [
        "事项编码",
        "部门代码",
        "事项名称",
        "检查方式",
        "是否重点",
        "检查对象类型",
        "执法领域",
        "每部门人数",
    ]
    rows = [
        ["SCJG-A07", "SCJG", "公示信息", "现场检查", "否", "企业；农民专业合作社", "market", ""],
        ["SCJG-B01", "SCJG", "质量", "onsite", "1", "enterprise", "quality", "1"],
        ["SCJG-B02", "SCJG", "质量", "by phone", "2", "firm", "quality", "3"],
    ]
    found = problems_of("items", write(tmp_path / "items.csv", header, rows))
    assert places(found) == [(3, "team_size"), (4, "key"), (4, "method"), (4, "target_kinds")]
    item = parse_file("items", tmp_path / "items.csv").records[0][1]
    assert (item.method, item.key, item.team_size) == (Method.ONSITE, False, 2)
    assert item.target_kinds == (EntityKind.COOPERATIVE, EntityKind.ENTERPRISE)


def test_tier_rows_check_dates_and_tiers(tmp_path: Path) -> None:
    header = ["uscc", "tier", "effective", "batch"]
    rows = [
        [REAL_CODES[0], "A", "2026-01-01", "B1"],
        [REAL_CODES[0], "E", "2026-01-01", "B2"],
        [REAL_CODES[1], "b", "2026-02-30", "B1"],
        [REAL_CODES[1], "C", "2026/03/01", "B1"],
        [REAL_CODES[0], "D", "2026-01-01", "B1"],
    ]
    found = problems_of("tiers", write(tmp_path / "t.csv", header, rows))
    assert places(found) == [(3, "tier"), (4, "effective"), (5, "effective"), (6, "uscc")]
    assert "first on line 2" in found[-1][2]


def test_blank_lines_keep_the_file_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("code,name\nSCJG,市场监管\n\n,消防\n", encoding="utf-8")
    assert problems_of("departments", path) == [(4, "code", "missing value")]


def test_cells_beyond_the_header_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("code,name\nSCJG,市场监管,extra\nXF,消防,\n", encoding="utf-8")
    assert problems_of("departments", path) == [(2, None, "3 cells but the header has 2 columns")]


def test_a_gbk_file_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes("部门代码,部门名称\nSCJG,市场监管\n".encode("gbk"))
    with pytest.raises(ValidationError, match='not UTF-8 text; save it as "CSV UTF-8"'):
        parse_file("departments", path)


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes("\ufeff部门代码,部门名称\nSCJG,市场监管\n".encode())
    assert [r.code for _, r in parse_file("departments", path).records] == ["SCJG"]


def test_xlsx_is_read_like_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["统一社会信用代码", "名称", "主体类型", "区划代码", "行业门类", "登记状态", "成立日期"])
    sheet.append([REAL_CODES[0], "厦门某公司", "企业", 371302, "C", "存续", None])
    sheet.append([REAL_CODES[1].lower(), "广州某公司", "enterprise", "371311", "G", "active", None])
    sheet.append(["91440101MA5CJQ4N58", "坏码公司", "enterprise", "371311", "G", "active", None])
    path = tmp_path / "enterprises.xlsx"
    book.save(path)
    parsed = parse_file("enterprises", path)
    assert [(line, r.uscc, r.district) for line, r in parsed.records] == [
        (2, REAL_CODES[0], "371302"),
        (3, REAL_CODES[1], "371311"),
    ]
    assert [(p.line, p.field) for p in parsed.problems] == [(4, "uscc")]
    assert [n.line for n in parsed.normalised] == [3]


def test_unsupported_empty_and_unknown_kinds_are_refused(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("code,name\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(ValidationError, match="unsupported file type"):
        parse_file("departments", tmp_path / "x.txt")
    with pytest.raises(ValidationError, match="empty"):
        parse_file("departments", tmp_path / "empty.csv")
    with pytest.raises(ValidationError, match="unknown file kind"):
        parse_file("widgets", tmp_path / "empty.csv")


def test_the_fast_code_check_agrees_with_the_domain_rule() -> None:
    import random

    from spotcheck.domain.uscc import ALPHABET, check_char, is_valid
    from spotcheck.ingest.cells import _canonical_uscc

    rng = random.Random(20260101)
    samples = [*REAL_CODES, "91350200776049653B", "x" * 18, "913502007760496531A"]
    for _ in range(3000):
        head = "".join(rng.choice(ALPHABET) for _ in range(17))
        digits = "".join(rng.choice("0123456789") for _ in range(8)) + head[8:]
        samples += [head + rng.choice(ALPHABET), head + check_char(head), digits + check_char(digits)]
    assert [_canonical_uscc(s) for s in samples] == [is_valid(s) for s in samples]
