"""Read an XLSX workbook's first sheet with python-calamine (Rust), when its cell types are ones the row reader
turns into text the same way: text, numbers, booleans, dates and date-times (docs/formats.md: "Each may be given
as ``.xlsx`` ... first sheet, same headers").

Returns the non-blank rows as (line, cells as text) with the sheet's own row numbers, or ``None`` when calamine
cannot open the file or the sheet holds any other kind of cell (times of day, durations, error values): then
``sources.py`` reads it with openpyxl, whose cell types the text conversion was written against.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

__all__ = ["read_xlsx_rows"]

_PLAIN = (str, bool, int, float, date, datetime)


def read_xlsx_rows(path: Path, text: Callable[[object], str]) -> list[tuple[int, list[str]]] | None:
    """``text`` turns a cell value into the text a CSV would hold (``sources.cell_text``)."""
    try:
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - calamine raises its own kinds; openpyxl then words the problem
        return None
    rows: list[tuple[int, list[str]]] = []
    for line, row in enumerate(values, start=1):
        if any(value is not None and value != "" and not isinstance(value, _PLAIN) for value in row):
            return None
        cells = [text(value) for value in row]
        if any(cells):
            rows.append((line, cells))
    return rows
