"""A push is split into chunks as bytes when every physical line is one row (spotcheck/services/tiers.py): the
chunks, and so every line number a problem names, are those Python's csv module gives."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from spotcheck.ingest.arrow_csv import needs_csv_reader
from spotcheck.services.tiers import _chunks, _csv_chunks, _line_chunks

HEADER = b"uscc,tier,effective,batch"
FILES = {
    "lf": HEADER + b"\na,C,2026-01-01,B\nb,D,2026-01-01,B\n\nc,A,2026-01-01,B\n",
    "crlf, BOM, no last line end": b"\xef\xbb\xbf" + HEADER + b"\r\na,C,1,B\r\n\r\nb,D,2,B\r\nc,A,3,B",
    "header only": HEADER + b"\n",
    "header without line end": HEADER,
    "exactly two chunks": HEADER + b"\na,1,x,B\nb,2,x,B\nc,3,x,B\nd,4,x,B\n",
    "chinese": "统一社会信用代码,信用风险分类,生效日期,批次号\n甲,A,1,批\n".encode(),
}


def _rows(split: object, path: Path, rows: int) -> list[tuple[int, list[list[str]]]]:
    out = []
    for offset, chunk in split(path, rows):  # type: ignore[operator]
        with chunk.open(encoding="utf-8-sig", newline="") as handle:
            out.append((offset, list(csv.reader(handle))))
    return out


@pytest.mark.parametrize("name", sorted(FILES))
@pytest.mark.parametrize("rows", [1, 2, 3, 100])
def test_line_chunks_are_the_csv_modules(tmp_path: Path, name: str, rows: int) -> None:
    path = tmp_path / "tiers.csv"
    path.write_bytes(FILES[name])
    assert not needs_csv_reader(path)
    assert _rows(_line_chunks, path, rows) == _rows(_csv_chunks, path, rows)


def test_quotes_and_lone_carriage_returns_go_to_the_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "tiers.csv"
    for data, needed in [
        (HEADER + b'\na,"C",1,B\n', True),
        (HEADER + b"\ra,C,1,B\n", True),
        (HEADER + b"\na,C,1,B\r", True),
        (HEADER + b"\r\na,C,1,B\r\n", False),
        (b"", False),
    ]:
        path.write_bytes(data)
        assert needs_csv_reader(path) is needed, data
    path.write_bytes(HEADER + b'\na,"C\nD",1,B\n')
    assert [o for o, _ in _chunks(path, 1)] == [0]


def test_a_push_that_is_not_utf8_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "tiers.csv"
    path.write_bytes(HEADER + b"\na,C,1,\xff\n")
    with pytest.raises(Exception, match="not UTF-8"):
        list(_chunks(path, 10))
