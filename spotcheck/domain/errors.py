"""The one exception tree of spotcheck.

    SpotcheckError
    ├── ValidationError        bad input; carries every problem found (line numbers where known)
    ├── NotFound               a named object does not exist
    ├── Forbidden              the caller may not see or do this
    ├── InvalidTransition      a plan step run out of order, or twice
    ├── InfeasiblePlan         targets cannot be reached with the given ratios, scopes, capacity
    ├── StaffingError          visits that cannot be staffed lawfully
    ├── VerificationError      a recomputed draw, ceremony or audit chain differs from the record
    └── CalendarError          a working-day deadline in a year with no known holiday calendar

Adapters map foreign exceptions to these (``raise X(...) from exc``); the API maps these to status codes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "LISTED_PROBLEMS",
    "CalendarError",
    "Forbidden",
    "InfeasiblePlan",
    "InvalidTransition",
    "NotFound",
    "Problem",
    "SpotcheckError",
    "StaffingError",
    "ValidationError",
    "VerificationError",
]


# An input with more problems lists the first ones and counts them all: an answer stays short however bad it is.
LISTED_PROBLEMS = 1000


class SpotcheckError(Exception):
    """Base of every error spotcheck raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file line, 1-based, header is line 1) and why."""

    line: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "input"
        return f"{where}: {self.field + ': ' if self.field else ''}{self.reason}"


class ValidationError(SpotcheckError):
    """Bad input: ``problems`` as found, ``count`` of all of them (more than listed when a caller kept only the
    first ones); the text lists at most ``LISTED_PROBLEMS``."""

    def __init__(
        self, message: str, problems: list[Problem] | None = None, *, count: int | None = None
    ) -> None:
        self.problems = list(problems or [])
        self.count = len(self.problems) if count is None else count
        detail = "".join(f"\n  {p}" for p in self.problems[:LISTED_PROBLEMS])
        more = self.count - min(len(self.problems), LISTED_PROBLEMS)
        super().__init__(message + detail + (f"\n  … and {more} more" if more > 0 else ""))
        self.message = message


class NotFound(SpotcheckError):
    pass


class Forbidden(SpotcheckError):
    pass


class InvalidTransition(SpotcheckError):
    pass


class InfeasiblePlan(SpotcheckError):
    """The plan cannot reach a target; ``binding`` names the input that blocks it."""

    def __init__(self, message: str, *, binding: str = "", shortfall: str = "") -> None:
        super().__init__(message)
        self.binding = binding
        self.shortfall = shortfall


class StaffingError(SpotcheckError):
    pass


class VerificationError(SpotcheckError):
    pass


class CalendarError(SpotcheckError):
    pass
