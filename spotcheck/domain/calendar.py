"""Chinese working days and the publication clock (docs/operations.md "Publication clock").

A day is a working day unless it is a public holiday, or a Saturday/Sunday that is not a make-up working day
(调休上班). The official calendar comes from two sources, in this order:

1. a holiday file ``YYYY.csv`` in a directory a regulator maintains (``data/holidays/``; format in
   docs/operations.md): the State Council publishes each year's holidays late in the previous year, so a new
   year is added as a file without a software release; a file also overrides the built-in year;
2. the ``chinesecalendar`` package, which knows 2004–2026.

A year known to neither is never computed from weekends alone: ``due_date`` raises ``CalendarError``, and
``deadline`` returns a ``Deadline`` marked ``provisional`` that names the missing years.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

import chinese_calendar

from spotcheck.domain.errors import CalendarError, Problem, ValidationError

__all__ = [
    "DEFAULT_HOLIDAY_DIR",
    "HOLIDAY_FILE_HEADER",
    "PUBLICATION_WORKING_DAYS",
    "DayKind",
    "Deadline",
    "SpecialDay",
    "WorkCalendar",
    "deadline",
    "due_date",
    "parse_holiday_file",
]

PUBLICATION_WORKING_DAYS = 20
HOLIDAY_FILE_HEADER = ("date", "kind", "name")
# The repository's holiday files (editable install); deployments pass their own directory.
DEFAULT_HOLIDAY_DIR = Path(__file__).resolve().parents[2] / "data" / "holidays"
_BUILTIN_YEARS = range(2004, 2027)  # what chinesecalendar 1.11 knows; it raises outside


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # 放假: a day off, whatever the weekday
    WORKDAY = "workday"  # 调休上班: a Saturday or Sunday worked in exchange


@dataclass(frozen=True)
class SpecialDay:
    day: date
    kind: DayKind
    name: str  # e.g. "国庆节" or "National Day"


@dataclass(frozen=True)
class Deadline:
    """A due date; ``provisional`` when some year on the way had no official calendar (weekends only)."""

    due: date
    provisional: bool
    missing_years: tuple[int, ...] = ()

    def __str__(self) -> str:
        if not self.provisional:
            return self.due.isoformat()
        years = ", ".join(str(y) for y in self.missing_years)
        return f"{self.due.isoformat()} (PROVISIONAL: no official holiday calendar for {years})"


def parse_holiday_file(text: str, *, year: int, source: str = "holiday file") -> dict[date, SpecialDay]:
    """Validate one year's holiday file; every problem is reported at once with its line number."""
    problems: list[Problem] = []
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or tuple(h.strip() for h in rows[0]) != HOLIDAY_FILE_HEADER:
        raise ValidationError(f"{source}: the header must be exactly {','.join(HOLIDAY_FILE_HEADER)}")
    days: dict[date, SpecialDay] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            problems.append(Problem(line, None, f"expected 3 columns, found {len(row)}"))
            continue
        raw_day, raw_kind, name = (cell.strip() for cell in row)
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            problems.append(Problem(line, "date", f"{raw_day!r} is not a YYYY-MM-DD date"))
            continue
        if day.year != year:
            problems.append(Problem(line, "date", f"{day} is not in {year}"))
        try:
            kind = DayKind(raw_kind)
        except ValueError:
            problems.append(Problem(line, "kind", f"{raw_kind!r} is neither 'holiday' nor 'workday'"))
            continue
        if kind is DayKind.WORKDAY and day.weekday() < 5:
            problems.append(
                Problem(line, "kind", f"{day} is a weekday: only a Saturday or Sunday is made up")
            )
        if not name:
            problems.append(Problem(line, "name", "the holiday's name is empty"))
        if day in days:
            problems.append(Problem(line, "date", f"{day} is listed twice"))
        days[day] = SpecialDay(day, kind, name)
    if not any(d.kind is DayKind.HOLIDAY for d in days.values()):
        problems.append(
            Problem(None, None, f"no holiday listed for {year}: a year always has public holidays")
        )
    if problems:
        raise ValidationError(f"{source}: invalid holiday file", problems)
    return days


class WorkCalendar:
    """Working days from holiday files (first) and chinesecalendar (built-in years)."""

    def __init__(
        self, files: Mapping[int, Mapping[date, SpecialDay]] | None = None, *, builtin: bool = True
    ) -> None:
        self._files = {year: dict(days) for year, days in (files or {}).items()}
        self._builtin = builtin

    @classmethod
    def from_directory(cls, directory: Path | str | None = None, *, builtin: bool = True) -> WorkCalendar:
        """Load every ``YYYY.csv`` in ``directory`` (default: data/holidays); other names are refused."""
        folder = Path(directory) if directory is not None else DEFAULT_HOLIDAY_DIR
        files: dict[int, dict[date, SpecialDay]] = {}
        if folder.is_dir():
            for path in sorted(folder.glob("*.csv")):
                if not (path.stem.isdigit() and len(path.stem) == 4):
                    raise ValidationError(f"{path}: a holiday file must be named YYYY.csv")
                files[int(path.stem)] = parse_holiday_file(
                    path.read_text(encoding="utf-8"), year=int(path.stem), source=str(path)
                )
        return cls(files, builtin=builtin)

    def knows(self, year: int) -> bool:
        return year in self._files or (self._builtin and year in _BUILTIN_YEARS)

    def is_workday(self, day: date) -> bool:
        """True on a working day; ``CalendarError`` in a year with no official calendar."""
        if day.year in self._files:
            special = self._files[day.year].get(day)
            if special is not None:
                return special.kind is DayKind.WORKDAY
            return day.weekday() < 5
        if self._builtin and day.year in _BUILTIN_YEARS:
            return bool(chinese_calendar.is_workday(day))
        raise CalendarError(
            f"no official holiday calendar for {day.year}: add data/holidays/{day.year}.csv "
            "(see docs/operations.md) once the State Council has published it"
        )

    def add_working_days(self, start: date, count: int, *, provisional: bool = False) -> Deadline:
        """The ``count``-th working day after ``start`` (``start`` itself is not counted).

        With ``provisional`` a year without a calendar counts Monday–Friday and the result says so.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        day, left, missing = start, count, set()
        while left:
            day += timedelta(days=1)
            if self.knows(day.year):
                working = self.is_workday(day)
            elif provisional:
                missing.add(day.year)
                working = day.weekday() < 5
            else:
                self.is_workday(day)  # raises CalendarError naming the year
                raise AssertionError("unreachable")
            left -= working
        return Deadline(day, bool(missing), tuple(sorted(missing)))


def due_date(
    end_of_check: date, working_days: int = PUBLICATION_WORKING_DAYS, *, calendar: WorkCalendar | None = None
) -> date:
    """The last day to publish results of a check that ended on ``end_of_check``; refuses unknown years."""
    return (calendar or WorkCalendar.from_directory()).add_working_days(end_of_check, working_days).due


def deadline(
    end_of_check: date, working_days: int = PUBLICATION_WORKING_DAYS, *, calendar: WorkCalendar | None = None
) -> Deadline:
    """Like ``due_date`` but never refuses: a year without a calendar gives a loudly provisional deadline."""
    cal = calendar or WorkCalendar.from_directory()
    return cal.add_working_days(end_of_check, working_days, provisional=True)
