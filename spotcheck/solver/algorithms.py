"""Which code draws and verifies each algorithm a record can name (docs/draw-spec.md §7, docs/assign-spec.md §7).

A record names the algorithm of each of its sections: the target draw in ``algorithm`` (``prn-interval/1``),
the inspector draw in ``assignment.algorithm`` (``officer-flow/1``). ``verify`` looks each id up here and runs
that id's own verifier, so when a ``/2`` ships beside a ``/1``, records drawn under ``/1`` stay verifiable with
``/1``'s code. An id this installation does not know is refused with its name and the known ones, never
checked with another algorithm's code.

Inputs of every verifier: the record (dict), the city, the history records (sequence of dicts); it returns None
or raises ``VerificationError`` naming the first difference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from spotcheck.domain.errors import VerificationError
from spotcheck.domain.model import City
from spotcheck.solver.assign.record import ASSIGN_ALGORITHM, attach_assignments, verify_assignments
from spotcheck.solver.draw.quarter import draw_quarter
from spotcheck.solver.draw.record import ALGORITHM
from spotcheck.solver.draw.verify import verify_draw

__all__ = ["ALGORITHMS", "Algorithm", "Section", "algorithm"]

Section = Literal["target", "assignment"]
Verifier = Callable[[dict[str, Any], City, Sequence[dict[str, Any]]], None]

_WHERE: dict[Section, str] = {"target": "$.algorithm", "assignment": "$.assignment.algorithm"}


@dataclass(frozen=True)
class Algorithm:
    """One algorithm: its id, the record section it fills, its specification, and its draw and verify verbs."""

    id: str
    section: Section
    spec: str
    draw: Callable[..., dict[str, Any]]
    verify: Verifier


ALGORITHMS: Mapping[str, Algorithm] = MappingProxyType(
    {
        a.id: a
        for a in (
            Algorithm(ALGORITHM, "target", "docs/draw-spec.md", draw_quarter, verify_draw),
            Algorithm(
                ASSIGN_ALGORITHM, "assignment", "docs/assign-spec.md", attach_assignments, verify_assignments
            ),
        )
    }
)


def algorithm(algorithm_id: Any, section: Section) -> Algorithm:
    """The algorithm a record's ``section`` names; VerificationError naming the id and the known ones if none."""
    found = ALGORITHMS.get(algorithm_id) if isinstance(algorithm_id, str) else None
    if found is None or found.section != section:
        known = ", ".join(sorted(a.id for a in ALGORITHMS.values() if a.section == section))
        raise VerificationError(
            f"the record names the {section} algorithm {algorithm_id!r} at {_WHERE[section]}, which this "
            f"installation does not know (known {section} algorithms: {known})"
        )
    return found
