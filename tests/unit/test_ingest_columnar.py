"""The columnar reader gives exactly what the row reader gives, and refuses (falls back) where it could not."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from spotcheck.domain.uscc import ALPHABET, check_char
from spotcheck.ingest import load_city, parse_file
from spotcheck.ingest import parse as parse_module
from spotcheck.ingest.arrow_csv import NotColumnar, read_columns, stream_columns
from spotcheck.ingest.uscc_vector import canonical_valid
from spotcheck.solver.draw.firm_columns import FirmColumns, TierColumns
from spotcheck.solver.draw.frame import from_city
from tests.conftest import make_code

CODE_CHARS = ALPHABET + "IOSVZabc -"


def _stdnum_canonical(raw: str) -> bool:
    return stdnum_uscc.is_valid(raw) and stdnum_uscc.compact(raw) == raw


@settings(max_examples=300)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=CODE_CHARS, min_size=16, max_size=19),
            st.text(alphabet="0123456789", min_size=8, max_size=8).flatmap(
                lambda head: st.text(alphabet=ALPHABET, min_size=9, max_size=9).map(
                    lambda tail: head + tail + check_char(head + tail)
                )
            ),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_vectorised_check_digits_agree_with_stdnum(codes: list[str]) -> None:
    raw = np.array([c.encode("ascii") for c in codes])
    assert canonical_valid(raw).tolist() == [_stdnum_canonical(c) for c in codes]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _rows_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_module, "fast_records", lambda kind, path: None)


FIRMS = [make_code(n) for n in range(1, 6)]
TRICKY = {
    "padded, blank lines, bom, chinese header": "\ufeff统一社会信用代码,名称,主体类型,区划代码,行业门类,登记状态\n"
    f" {FIRMS[2]} ,某公司　,企业,371302,c,存续\n\n,,,,,\n{FIRMS[0]},乙,ENTERPRISE,371302,H,active\n",
    "optional columns, trailing empty header cell": "uscc,name,kind,district,industry,status,registered_on,\n"
    f"{FIRMS[1]},甲,individual,371311,F,Abnormal,2020-02-29,\n{FIRMS[3]},丁,cooperative,371302,A,closed,,\n",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_columns_give_the_row_readers_records(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "enterprises.csv", TRICKY[name])
    assert read_columns("enterprises", path) is not None
    fast = parse_file("enterprises", path)
    _rows_only(monkeypatch)
    slow = parse_file("enterprises", path)
    assert fast.records == slow.records and fast.problems == slow.problems == []


@pytest.mark.parametrize(
    "body",
    [
        f'"{FIRMS[0]}",甲,enterprise,371302,C,active\n',  # quoting: the row reader's rules
        f"{FIRMS[0]},甲,enterprise,371302,C,active,extra\n",  # more cells than the header
        f"{FIRMS[0]},甲,enterprise,371302,C\n",  # fewer cells
    ],
)
def test_columns_step_aside_when_the_row_reader_must_read(body: str, tmp_path: Path) -> None:
    path = _write(tmp_path / "enterprises.csv", "uscc,name,kind,district,industry,status\n" + body)
    assert read_columns("enterprises", path) is None


def test_a_lower_case_code_is_normalised_by_the_row_reader(tmp_path: Path) -> None:
    code = "91440101MA5CJQ4N59"
    path = _write(
        tmp_path / "enterprises.csv",
        f"uscc,name,kind,district,industry,status\n{code.lower()},甲,enterprise,371302,C,active\n",
    )
    parsed = parse_file("enterprises", path)
    assert [r.uscc for _, r in parsed.records] == [code] and len(parsed.normalised) == 1


def test_tier_columns_keep_the_record_in_force() -> None:
    codes = np.array([b"B", b"A", b"A", b"A"], dtype="S18")
    tiers = TierColumns.build(
        codes,
        np.array([0, 1, 2, 3], dtype=np.uint8),
        np.array(["2025-01-01", "2025-01-01", "2025-01-01", "2026-02-01"], dtype="datetime64[D]"),
        np.array(["b1", "b2", "b1", "b1"]),
    )
    now = tiers.in_force(date(2026, 1, 1))
    assert [(t.uscc, t.tier.value, t.batch) for t in now] == [("A", "B", "b2"), ("B", "A", "b1")]


def test_a_city_read_as_columns_draws_from_the_same_frame(
    tiny_city_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = load_city(tiny_city_dir)
    assert isinstance(fast.enterprises, FirmColumns)
    monkeypatch.setattr("spotcheck.ingest.city._columnar", lambda kind, path, known: None)
    slow = load_city(tiny_city_dir)
    assert isinstance(slow.enterprises, tuple)
    assert fast.enterprises == slow.enterprises and list(fast.tiers) == list(slow.tiers)
    assert fast.plan is not None
    on = date(fast.plan.year, 3 * fast.plan.quarter - 2, 1)
    a, b = from_city(fast, on), from_city(slow, on)
    for column in ("codes", "kind", "district", "industry", "status", "tier"):
        assert np.array_equal(getattr(a, column), getattr(b, column)), column
    assert (a.districts, a.industries) == (b.districts, b.industries)


def test_csv_module_and_columns_agree_on_line_numbers(tmp_path: Path) -> None:
    rows = [[make_code(n), f"名{n}", "enterprise", "371302", "C", "active"] for n in range(1, 30)]
    path = tmp_path / "enterprises.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["uscc", "name", "kind", "district", "industry", "status"])
        for row in rows:
            writer.writerow(row)
            writer.writerow([])
    columns = read_columns("enterprises", path)
    assert columns is not None
    assert columns.lines.tolist() == list(range(2, 2 + 2 * len(rows), 2))


def _streamed(path: Path, block: int) -> tuple[dict[str, list[str]], list[int]]:
    blocks = stream_columns("enterprises", path, block=block)
    assert blocks is not None
    columns: dict[str, list[str]] = {}
    lines: list[int] = []
    for piece in blocks:
        for name, values in piece.columns.items():
            columns.setdefault(name, []).extend(values.to_pylist())
        lines += piece.lines.tolist()
    return columns, lines


STREAMED = {
    **TRICKY,
    "carriage returns and line feeds, no final newline": "uscc,name,kind,district,industry,status\r\n"
    + "\r\n".join(f"{make_code(n)},名{n},enterprise,371302,C,active" for n in range(1, 20))
    + "\r\n\r\n"
    + f"{make_code(20)},末,enterprise,371302,C,active",
    "a header ended by a lone carriage return": "uscc,name,kind,district,industry,status\r"
    + "".join(f"{make_code(n)},名{n},enterprise,371302,C,active\n\n" for n in range(1, 20)),
}


@pytest.mark.parametrize("name", sorted(STREAMED))
@pytest.mark.parametrize("block", [1, 64, 1 << 20])
def test_streamed_blocks_join_into_the_whole_files_columns(name: str, block: int, tmp_path: Path) -> None:
    path = _write(tmp_path / "enterprises.csv", STREAMED[name])
    whole = read_columns("enterprises", path)
    assert whole is not None
    columns, lines = _streamed(path, block)
    assert lines == whole.lines.tolist()
    assert columns == {n: v.to_pylist() for n, v in whole.columns.items()}


def test_a_later_block_the_row_reader_must_read_stops_the_stream(tmp_path: Path) -> None:
    good = "".join(f"{make_code(n)},名{n},enterprise,371302,C,active\n" for n in range(1, 20))
    path = _write(tmp_path / "enterprises.csv", f"uscc,name,kind,district,industry,status\n{good}x,y\n")
    blocks = stream_columns("enterprises", path, block=200)
    assert blocks is not None
    assert len(next(blocks)) > 0
    with pytest.raises(NotColumnar):
        list(blocks)


def test_a_file_of_carriage_returns_only_goes_to_the_row_reader_and_its_lines_are_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spotcheck.ingest import arrow_csv

    monkeypatch.setattr(arrow_csv, "LONGEST_LINE", 256)  # a piece without a line feed, long before a megabyte
    rows = "".join(f"{make_code(n)},名{n},enterprise,371302,C,active\r" for n in range(1, 40))
    path = _write(tmp_path / "enterprises.csv", "uscc,name,kind,district,industry,status\r" + rows)
    blocks = stream_columns("enterprises", path, block=64)
    assert blocks is not None
    with pytest.raises(NotColumnar):
        list(blocks)
    assert arrow_csv.data_lines(path) == 39
