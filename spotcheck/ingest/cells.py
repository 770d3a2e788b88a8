"""Typed reading of one row's cells, collecting every problem instead of stopping at the first.

Used by ``rows.py``: ``cells.text("name")`` etc. return a value (or a harmless default) and record a
Problem for the row's line when the cell is bad.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import NamedTuple, TypeVar

from spotcheck.domain import uscc as uscc_rules
from spotcheck.domain.errors import Problem, ValidationError

__all__ = ["Cells", "Normalised"]

E = TypeVar("E", bound=StrEnum)

_VALUE = {c: i for i, c in enumerate(uscc_rules.ALPHABET)}
_TRUE = {"1", "是", "true", "yes", "y"}
_FALSE = {"0", "否", "false", "no", "n"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# Per position: character -> value x weight (mod 31); a missing key is a character not allowed there
# (positions 1-8, authority, category and division, are digits; the rest 0-9 A-Y without I O S V Z).
_WEIGHTED = tuple(
    {c: i * w % 31 for i, c in enumerate(uscc_rules.ALPHABET) if pos >= 8 or c.isdigit()}
    for pos, w in enumerate(uscc_rules.WEIGHTS)
)
_CHECK = tuple(uscc_rules.ALPHABET[(31 - total) % 31] for total in range(31))


def _canonical_uscc(raw: str) -> bool:
    """Fast path: is ``raw`` already a canonical, valid code? (Most rows are; stdnum handles the rest.)"""
    if len(raw) != 18:
        return False
    try:
        total = sum(map(dict.__getitem__, _WEIGHTED, raw))  # map stops after the 17 weighted positions
    except KeyError:
        return False
    return _CHECK[total % 31] == raw[17]


def _by_value(enum: type[E], value: str) -> E | None:
    return enum._value2member_map_.get(value)  # type: ignore[return-value]


class Normalised(NamedTuple):
    """A credit code that was cleaned on import (lower case, full-width characters, separators)."""

    line: int
    raw: str
    code: str


class Cells:
    """One data row: ``positions`` maps column name -> index in ``values``."""

    __slots__ = ("line", "normalised", "positions", "problems", "values")

    def __init__(
        self,
        line: int,
        values: list[str],
        positions: dict[str, int],
        problems: list[Problem],
        normalised: list[Normalised],
    ) -> None:
        self.line = line
        self.values = values
        self.positions = positions
        self.problems = problems  # shared with the file: problems are appended here
        self.normalised = normalised

    def bad(self, name: str, reason: str) -> None:
        self.problems.append(Problem(self.line, name, reason))

    def text(self, name: str, *, required: bool = True) -> str:
        # values has a cell for every header column (parse.py pads short rows); absent optional columns are "".
        value = self.values[self.positions[name]] if name in self.positions else ""
        if required and not value:
            self.bad(name, "missing value")
        return value

    def code(self, name: str, *, pattern: re.Pattern[str] | None = None, what: str = "") -> str:
        value = self.text(name)
        if value and (
            any(c.isspace() for c in value) or (pattern is not None and not pattern.fullmatch(value))
        ):
            self.bad(name, f"{value!r} is not a valid {what or name}")
        return value

    def uscc(self, name: str = "uscc") -> str:
        raw = self.text(name)
        if not raw or _canonical_uscc(raw):
            return raw
        try:
            # NFKC folds full-width forms (９１…Ａ, common from Chinese input methods) to ASCII first.
            code, _ = uscc_rules.normalise(unicodedata.normalize("NFKC", raw))
        except ValidationError as exc:
            self.bad(name, exc.message.replace(repr(unicodedata.normalize("NFKC", raw)), repr(raw)))
            return raw
        if code != raw:
            self.normalised.append(Normalised(self.line, raw, code))
        return code

    def choice(self, name: str, enum: type[E], aliases: dict[str, E]) -> E:
        value = self.text(name)
        if not value:
            return next(iter(enum))
        found = aliases.get(value) or aliases.get(value.lower()) or _by_value(enum, value.lower())
        if found is None:
            self.bad(name, f"unknown {name} {value!r} (expected {'/'.join(m.value for m in enum)})")
            return next(iter(enum))
        return found

    def choices(self, name: str, enum: type[E], aliases: dict[str, E]) -> tuple[E, ...]:
        parts = self.split(name)
        found: set[E] = set()
        for part in parts:
            member = aliases.get(part) or aliases.get(part.lower()) or _by_value(enum, part.lower())
            if member is None:
                self.bad(name, f"unknown {name} {part!r} (expected {'/'.join(m.value for m in enum)})")
                continue
            found.add(member)
        return tuple(sorted(found))

    def split(self, name: str, *, required: bool = True) -> tuple[str, ...]:
        """A ';'-separated list (also accepts the Chinese '；'), de-duplicated and sorted."""
        value = self.text(name, required=required).replace("；", ";")
        return tuple(sorted({p.strip() for p in value.split(";") if p.strip()}))

    def integer(self, name: str, *, default: int | None = None, minimum: int | None = None) -> int:
        value = self.text(name, required=default is None)
        if not value:
            return default if default is not None else 0
        try:
            number = int(value)
        except ValueError:
            self.bad(name, f"{value!r} is not a whole number")
            return default if default is not None else 0
        if minimum is not None and number < minimum:
            self.bad(name, f"{number} is below the minimum {minimum}")
        return number

    def flag(self, name: str, *, default: bool | None = None) -> bool:
        value = self.text(name, required=default is None)
        if not value:
            return bool(default)
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        self.bad(name, f"{value!r} is not 1/0 (是/否)")
        return bool(default)

    def day(self, name: str, *, required: bool = True) -> date | None:
        value = self.text(name, required=required)
        if not value:
            return None
        if _DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.bad(name, f"{value!r} is not a date YYYY-MM-DD")
        return None
