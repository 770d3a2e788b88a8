"""Read a table file (CSV or XLSX) as a header plus (line number, cells) rows, all cells as stripped strings.

Line numbers are the file's: the header is line 1. Blank rows are skipped but still counted.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Self

from spotcheck.domain.errors import Problem, ValidationError
from spotcheck.ingest.xlsx_fast import read_xlsx_rows

__all__ = ["Table", "open_table"]

Row = tuple[int, list[str]]


class Table:
    """An open table file; iterate ``rows()`` once. Use as a context manager to close it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise ValidationError(
                f"{path.name}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx"
            )
        if not path.is_file():
            raise ValidationError(f"{path}: no such file")
        self._xlsx = suffix == ".xlsx"
        self._close: Any = None
        self._iter: Iterator[Row]
        self.header: list[str]
        try:
            self._iter = self._open_xlsx() if self._xlsx else self._open_csv()
            first = next(self._iter, None)
        except UnicodeDecodeError as exc:
            self.close()
            raise _not_utf8(path) from exc
        except (OSError, csv.Error) as exc:
            self.close()
            raise ValidationError(
                f"{path.name}: cannot read the file", [Problem(None, None, str(exc))]
            ) from exc
        except Exception as exc:  # openpyxl raises many kinds (zipfile.BadZipFile, KeyError, ...)
            self.close()
            raise ValidationError(f"{path.name}: not a readable XLSX workbook: {exc}") from exc
        if first is None:
            self.close()
            raise ValidationError(f"{path.name}: the file is empty (a header line is required)")
        self.header = first[1]

    def _open_csv(self) -> Iterator[Row]:
        handle = self.path.open(encoding="utf-8-sig", newline="")
        self._close = handle.close
        reader = csv.reader(handle, strict=True)

        def rows() -> Iterator[Row]:
            for cells in reader:
                if cells and any(cells):
                    yield reader.line_num, [c.strip() for c in cells]

        return rows()

    def _open_xlsx(self) -> Iterator[Row]:
        rows = read_xlsx_rows(self.path, cell_text)
        if rows is not None:
            return iter(rows)
        return self._open_xlsx_openpyxl()

    def _open_xlsx_openpyxl(self) -> Iterator[Row]:
        from openpyxl import load_workbook

        book = load_workbook(self.path, read_only=True, data_only=True)
        self._close = book.close
        sheet = book.worksheets[0]

        def rows() -> Iterator[Row]:
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                if any(cells):
                    yield line, cells

        return rows()

    def rows(self) -> Iterator[Row]:
        try:
            yield from self._iter
        except UnicodeDecodeError as exc:
            raise _not_utf8(self.path) from exc
        except csv.Error as exc:
            raise ValidationError(
                f"{self.path.name}: cannot read the file", [Problem(None, None, str(exc))]
            ) from exc

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _not_utf8(path: Path) -> ValidationError:
    # Excel on Chinese Windows saves "CSV" as GBK; say how to fix it rather than show a codec error.
    return ValidationError(
        f'{path.name}: not UTF-8 text; save it as "CSV UTF-8" (or as .xlsx) and import it again'
    )


def cell_text(value: object) -> str:
    """An XLSX cell as the text a CSV would hold: dates ISO, whole numbers without '.0', booleans 1/0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def open_table(path: Path) -> Table:
    return Table(Path(path))
