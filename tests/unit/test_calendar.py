"""The publication clock counts official Chinese working days, make-up weekends included.

Expected dates were counted by hand from chinesecalendar 1.11's days (listed in each test's comment).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from spotcheck.domain.calendar import (
    DayKind,
    WorkCalendar,
    deadline,
    due_date,
    parse_holiday_file,
)
from spotcheck.domain.errors import CalendarError, ValidationError

BUILTIN = WorkCalendar()


def test_make_up_weekends_are_working_days_and_holidays_are_not() -> None:
    assert BUILTIN.is_workday(date(2025, 9, 28))  # Sunday, made up for National Day
    assert BUILTIN.is_workday(date(2025, 10, 11))  # Saturday, made up for National Day
    assert not BUILTIN.is_workday(date(2025, 10, 1))
    assert not BUILTIN.is_workday(date(2025, 10, 8))  # Wednesday, still a holiday
    assert not BUILTIN.is_workday(date(2025, 10, 12))  # an ordinary Sunday
    assert BUILTIN.is_workday(date(2026, 2, 14))  # Saturday, made up for Spring Festival


def test_deadline_across_national_day() -> None:
    # Check ends Fri 2025-09-26. Working days: 9/28(Sun) 9/29 9/30 | Oct 1–8 off | 10/9 10/10 10/11(Sat)
    # 10/13–17 (5) 10/20–24 (5) 10/27 10/28 10/29 10/30 -> the 20th is Thu 2025-10-30.
    assert due_date(date(2025, 9, 26), 20, calendar=BUILTIN) == date(2025, 10, 30)
    # Weekends alone would have said 2025-10-24: the holiday week moves it, the make-up days pull it back.


def test_deadline_across_spring_festival() -> None:
    # Check ends Fri 2026-02-06. 2/9–2/13 (5), 2/14 Sat (6), Feb 15–23 off, 2/24–2/27 (10), 2/28 Sat (11),
    # 3/2–3/6 (16), 3/9 3/10 3/11 3/12 -> Thu 2026-03-12.
    assert due_date(date(2026, 2, 6), 20, calendar=BUILTIN) == date(2026, 3, 12)


def test_end_of_check_itself_is_not_counted() -> None:
    # Mon 2025-10-13 + 1 working day is Tue 2025-10-14; Thu 2025-09-30 + 1 skips the whole holiday week.
    assert due_date(date(2025, 10, 13), 1, calendar=BUILTIN) == date(2025, 10, 14)
    assert due_date(date(2025, 9, 30), 1, calendar=BUILTIN) == date(2025, 10, 9)


def test_a_year_without_calendar_is_refused_not_guessed() -> None:
    with pytest.raises(CalendarError, match="2027"):
        due_date(date(2026, 12, 31), 20, calendar=BUILTIN)
    with pytest.raises(CalendarError, match="data/holidays/2027.csv"):
        BUILTIN.is_workday(date(2027, 1, 4))


def test_provisional_deadline_is_marked_loudly() -> None:
    result = deadline(date(2026, 12, 31), 20, calendar=BUILTIN)
    assert result.provisional and result.missing_years == (2027,)
    assert "PROVISIONAL" in str(result) and "2027" in str(result)
    assert result.due == date(2027, 1, 28)  # Mon–Fri only, from Jan 1 2027 (a Friday)
    assert not deadline(date(2025, 9, 26), 20, calendar=BUILTIN).provisional


def test_holiday_file_adds_a_year(tmp_path: Path) -> None:
    (tmp_path / "2031.csv").write_text(
        "date,kind,name\n2031-01-01,holiday,元旦\n2031-01-02,holiday,元旦\n2031-01-04,workday,元旦\n",
        encoding="utf-8",
    )
    cal = WorkCalendar.from_directory(tmp_path)
    assert cal.knows(2031) and not cal.knows(2032)
    assert cal.is_workday(date(2031, 1, 4))  # a Saturday, made up
    with pytest.raises(CalendarError, match="2030"):
        cal.add_working_days(date(2030, 12, 30), 2)  # 2030-12-31 is in no calendar
    # Tue 2030-12-31 + 2: 1/1 and 1/2 off, Fri 1/3 (1), Sat 1/4 (2); 2030 itself is never counted.
    assert cal.add_working_days(date(2030, 12, 31), 2).due == date(2031, 1, 4)


def test_holiday_file_overrides_the_builtin_year(tmp_path: Path) -> None:
    (tmp_path / "2025.csv").write_text("date,kind,name\n2025-10-13,holiday,test\n", encoding="utf-8")
    cal = WorkCalendar.from_directory(tmp_path)
    assert not cal.is_workday(date(2025, 10, 13))
    assert not cal.is_workday(date(2025, 10, 11))  # the file does not list the make-up day


def test_holiday_file_problems_are_all_reported_with_lines() -> None:
    text = (
        "date,kind,name\n"
        "2031-01-01,holiday,元旦\n"
        "2031-01-06,workday,元旦\n"  # a Monday cannot be a make-up day
        "2030-12-31,holiday,元旦\n"  # wrong year
        "2031-02-30,holiday,春节\n"  # not a date
        "2031-01-01,holiday,元旦\n"  # twice
        "2031-05-01,rest,劳动节\n"  # bad kind
        "2031-05-02,holiday,\n"  # no name
    )
    with pytest.raises(ValidationError) as caught:
        parse_holiday_file(text, year=2031)
    lines = [p.line for p in caught.value.problems]
    assert lines == [3, 4, 5, 6, 7, 8]


def test_holiday_file_needs_header_and_a_holiday() -> None:
    with pytest.raises(ValidationError, match="header"):
        parse_holiday_file("day,kind,name\n", year=2031)
    with pytest.raises(ValidationError, match="no holiday"):
        parse_holiday_file("date,kind,name\n2031-01-04,workday,元旦\n", year=2031)
    days = parse_holiday_file("\ufeffdate,kind,name\n2031-01-01,holiday,元旦\n", year=2031)
    assert days[date(2031, 1, 1)].kind is DayKind.HOLIDAY


def test_badly_named_holiday_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "holidays-2031.csv").write_text("date,kind,name\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="YYYY.csv"):
        WorkCalendar.from_directory(tmp_path)


def test_repository_holiday_files_are_valid() -> None:
    WorkCalendar.from_directory()  # raises if a committed file is malformed
