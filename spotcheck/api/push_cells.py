"""The edge's checks of a tier push before the use case reads it (docs/api.md "Limits"): every cell short and
free of NUL characters, every line bounded, at least one row; problems named by line and column, the first
``LISTED_PROBLEMS`` listed and all of them counted.

Tier cells are short (a credit code, a tier letter, a date, a batch id the store keeps up to ``MAX_CELL``
characters), so a longer cell is refused here with its line and column instead of failing deeper down: in the
CSV reader (131,072 characters at most), or in PostgreSQL (which refuses a NUL in text, or an over-long batch
id). Lines are read at most ``MAX_LINE`` characters at a time, so one endless line never fills memory.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from spotcheck.domain.errors import LISTED_PROBLEMS, Problem, ValidationError

__all__ = ["MAX_CELL", "MAX_LINE", "TIER_KEYS", "Problems", "check_csv", "jsonl_key_at", "jsonl_row"]

TIER_KEYS = ("uscc", "tier", "effective", "batch")
MAX_CELL = 64
MAX_LINE = 4096  # a tier line is some 50 characters
_JSON_KEY = re.compile(rb'"(' + b"|".join(k.encode() for k in TIER_KEYS) + rb')"\s*:')


class Problems:
    """Every problem counted; the first ``LISTED_PROBLEMS`` kept, so an all-bad push answers briefly."""

    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.count = 0

    def add(self, line: int | None, field: str | None, reason: str) -> None:
        self.count += 1
        if len(self.listed) < LISTED_PROBLEMS:
            self.listed.append(Problem(line, field, reason))

    def raise_if_any(self) -> None:
        if self.count:
            message = f"push refused: {self.count} problem(s); nothing was appended"
            raise ValidationError(message, self.listed, count=self.count)


def _check_cell(problems: Problems, line: int, column: str, value: str) -> bool:
    if len(value) > MAX_CELL:
        problems.add(line, column, f"longer than {MAX_CELL} characters")
        return False
    if "\x00" in value:
        problems.add(line, column, "contains a NUL character")
        return False
    return True


def _column(header: list[str], index: int) -> str:
    name = header[index].strip() if index < len(header) else ""
    return name or f"column {index + 1}"


class _Lines:
    """A file's lines for ``csv.reader``, at most ``MAX_LINE`` characters each: the rest of a longer line is
    skipped and named (with the column it reached) instead of read."""

    def __init__(self, handle: TextIO, problems: Problems) -> None:
        self.handle, self.problems = handle, problems
        self.number = 0
        self.header: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        text = self.handle.readline(MAX_LINE + 1)
        if not text:
            raise StopIteration
        self.number += 1
        if len(text) <= MAX_LINE or text.endswith("\n"):
            return text
        reached = len(next(csv.reader([text]), [""])) - 1
        self.problems.add(
            self.number, _column(self.header, reached), f"line longer than {MAX_LINE} characters"
        )
        while text and not text.endswith("\n"):
            text = self.handle.readline(MAX_LINE + 1)
        return "\n"  # an empty row in its place: the next line keeps its number


def check_csv(path: Path, problems: Problems) -> int:
    """Check every cell of the spooled tiers.csv at ``path``; returns the number of data rows."""
    rows = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = _Lines(handle, problems)
        reader = csv.reader(lines)
        try:
            lines.header = next(reader, [])
            for index, name in enumerate(lines.header):
                _check_cell(problems, 1, _column(lines.header, index), name)
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows += 1
                for index, cell in enumerate(row):
                    _check_cell(problems, reader.line_num, _column(lines.header, index), cell)
        except csv.Error:  # a quoted cell running on over many lines: the rest cannot be read reliably
            problems.add(reader.line_num, None, "a quoted cell runs on too long (a closing quote missing?)")
        except UnicodeDecodeError:
            problems.add(lines.number + 1, None, 'not UTF-8 text: send "CSV UTF-8" or JSON lines')
    return rows


def jsonl_key_at(prefix: bytes) -> str | None:
    """The key whose value a JSON line's first ``MAX_LINE`` bytes ended in, if one can be seen."""
    keys = _JSON_KEY.findall(prefix[: MAX_LINE + 1])
    return keys[-1].decode() if keys else None


def jsonl_row(writer: Any, raw: bytes, line: int, problems: Problems) -> int:
    """Check one JSON line and write it as a tiers.csv row; 1 if the line was a row (good or bad), else 0."""
    if not raw.strip():
        return 0
    if len(raw) > MAX_LINE:  # the same answer however the line arrived (in one chunk or in many)
        problems.add(line, jsonl_key_at(raw), f"line longer than {MAX_LINE} bytes")
        return 1
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        problems.add(line, None, "not valid JSON")
        return 1
    if not isinstance(data, Mapping) or set(data) - set(TIER_KEYS):
        problems.add(line, None, f"expected an object with keys {', '.join(TIER_KEYS)}")
        return 1
    cells = ["" if data.get(k) is None else str(data[k]) for k in TIER_KEYS]
    good = [_check_cell(problems, line, key, cell) for key, cell in zip(TIER_KEYS, cells, strict=True)]
    if all(good):  # every cell checked, so that each problem is named
        writer.writerow(cells)
    return 1
