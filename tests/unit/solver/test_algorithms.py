"""verify checks each record section with the algorithm the section names, and refuses an id it does not know."""

from __future__ import annotations

from typing import Any

import pytest

from spotcheck.domain.errors import VerificationError
from spotcheck.solver import algorithms
from spotcheck.solver.algorithms import ALGORITHMS, Algorithm, algorithm
from spotcheck.solver.assign.record import verify_assignments
from spotcheck.solver.draw.verify import verify_draw
from spotcheck.solver.verify import verify_record


def test_each_known_id_maps_to_its_own_code() -> None:
    assert algorithm("prn-interval/1", "target").verify is verify_draw
    assert algorithm("officer-flow/1", "assignment").verify is verify_assignments
    assert {a.spec for a in ALGORITHMS.values()} == {"docs/draw-spec.md", "docs/assign-spec.md"}


def test_an_unknown_target_algorithm_is_refused_naming_it_and_the_known_ones(
    city: Any, q1: dict[str, Any]
) -> None:
    with pytest.raises(VerificationError, match=r"'prn-interval/9' at \$\.algorithm.*known.*prn-interval/1"):
        verify_record(dict(q1, algorithm="prn-interval/9"), city)


def test_an_unknown_assignment_algorithm_is_refused_naming_it(city: Any, q1: dict[str, Any]) -> None:
    named = dict(q1, assignment={"algorithm": "officer-lp/2"})
    with pytest.raises(
        VerificationError, match=r"'officer-lp/2' at \$\.assignment\.algorithm.*officer-flow/1"
    ):
        verify_record(named, city)


def test_an_id_of_the_other_section_is_refused() -> None:
    with pytest.raises(VerificationError, match="'officer-flow/1' at \\$\\.algorithm"):
        algorithm("officer-flow/1", "target")


def test_verify_dispatches_to_the_algorithm_the_record_names(
    city: Any, q1: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def second(record: dict[str, Any], *_: Any) -> None:
        calls.append(record["algorithm"])

    beside = Algorithm(
        "prn-interval/2", "target", "docs/draw-spec.md", ALGORITHMS["prn-interval/1"].draw, second
    )
    monkeypatch.setattr(algorithms, "ALGORITHMS", {**ALGORITHMS, beside.id: beside})
    verify_record(dict(q1, algorithm="prn-interval/2"), city)  # a /2 shipped beside /1 checks its own records
    verify_record(q1, city)  # and /1 records are still checked by /1's code
    assert calls == ["prn-interval/2"]
