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
    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        detail = "".join(f"\n  {p}" for p in self.problems)
        super().__init__(message + detail)
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
