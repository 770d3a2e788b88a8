"""A quarter's published results as a file people open in a spreadsheet: CSV (UTF-8 with a byte-order mark,
which Excel needs to read Chinese) or XLSX written by openpyxl. Every row, with names beside the codes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from enum import StrEnum

from fastapi.responses import Response
from openpyxl import Workbook

from spotcheck.queries.disclosure import Names
from spotcheck.queries.shapes import ResultPublic

__all__ = ["HEADER", "Format", "results_file", "rows"]

HEADER = (
    "年度 year",
    "季度 quarter",
    "统一社会信用代码 credit code",
    "企业名称 firm",
    "区县 district",
    "部门 department",
    "抽查结果 result",
    "result (English)",
    "说明 findings",
    "检查编号 visit",
)


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def rows(found: Iterable[ResultPublic], names: Names) -> list[tuple[object, ...]]:
    return [
        (
            r.year,
            r.quarter,
            r.uscc,
            r.name,
            names.district(r.district),
            names.department(r.department),
            r.category,
            r.category_en,
            r.findings,
            r.visit_id,
        )
        for r in found
    ]


def _csv(table: Sequence[tuple[object, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(table)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(table: Sequence[tuple[object, ...]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("抽查结果 results")
    sheet.append(list(HEADER))
    for line in table:
        sheet.append(list(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_MEDIA = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def results_file(found: Iterable[ResultPublic], names: Names, fmt: Format, stem: str) -> Response:
    table = rows(found, names)
    body = _csv(table) if fmt is Format.CSV else _xlsx(table)
    disposition = f'attachment; filename="{stem}-results.{fmt.value}"'
    return Response(body, media_type=_MEDIA[fmt], headers={"Content-Disposition": disposition})
