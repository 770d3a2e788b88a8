"""Every input of both draws is fixed at the freeze (draw-spec §1, assign-spec §8): each change of an input the
target draw or the inspector draw reads changes the snapshot digest, and verify names the part that changed;
an option given after the freeze that differs is refused; older record formats are refused by version."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from spotcheck.domain.errors import ValidationError, VerificationError
from spotcheck.domain.model import City, Conflict, Expert
from spotcheck.solver.assign.options import FrozenOptions
from spotcheck.solver.assign.record import attach_assignments
from spotcheck.solver.assign.types import AssignConfig
from spotcheck.solver.draw.quarter import draw_quarter, prepare
from spotcheck.solver.draw.record import dump_record, load_record
from spotcheck.solver.verify import verify_record

SEED = "f00d" * 16


@pytest.fixture(scope="module")
def record(city: City) -> dict[str, Any]:
    """The 2026Q1 draw of the kit city (tests/unit/solver/conftest.py) under this module's seed."""
    return draw_quarter(city, year=2026, quarter=1, seed=SEED)


def _officer(change: Callable[[Any], Any]) -> Callable[[City], City]:
    return lambda c: replace(c, inspectors=(change(c.inspectors[0]), *c.inspectors[1:]))


def _item(change: Callable[[Any], Any]) -> Callable[[City], City]:
    return lambda c: replace(c, items=(change(c.items[0]), *c.items[1:]))


def _other_department(o: Any) -> Any:
    return replace(o, department="XF" if o.department != "XF" else "HB")


CHANGES: dict[str, tuple[str, Callable[[City], City]]] = {
    "officer department": ("officers", _officer(_other_department)),
    "officer district": ("officers", _officer(lambda o: replace(o, district="371399"))),
    "officer certificate": ("officers", _officer(lambda o: replace(o, certificate=o.certificate + "X"))),
    "officer fields": ("officers", _officer(lambda o: replace(o, fields=(*o.fields, "另一领域")))),
    "officer capacity": ("officers", _officer(lambda o: replace(o, capacity=o.capacity + 1))),
    "officer active": ("officers", _officer(lambda o: replace(o, active=not o.active))),
    "experts": (
        "experts",
        lambda c: replace(c, experts=(*c.experts, Expert("EX-1", "专家", "SCJG", ("食品",)))),
    ),
    "conflicts": (
        "conflicts",
        lambda c: replace(
            c, conflicts=(*c.conflicts, Conflict(c.inspectors[0].id, c.enterprises[0].uscc, "亲属"))
        ),
    ),
    "item field": ("items", _item(lambda i: replace(i, field=i.field + "+"))),
    "item team size": ("items", _item(lambda i: replace(i, team_size=i.team_size + 1))),
}


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_a_changed_input_changes_the_digest_and_verify_names_it(
    kind: str, city: City, record: dict[str, Any]
) -> None:
    part, change = CHANGES[kind]
    changed = change(city)
    assert prepare(changed).snapshot != record["snapshot"]["digest"]
    with pytest.raises(
        VerificationError, match=rf"not the record's snapshot: these parts changed: {part} \("
    ):
        verify_record(record, changed)


@pytest.mark.parametrize(
    ("field", "value"), [("joint_visit_weight", 2), ("allow_city_level", False)], ids=["weight", "city"]
)
def test_the_plans_inspector_options_are_in_the_digest(
    field: str, value: Any, city: City, record: dict[str, Any]
) -> None:
    changed = replace(city, plan=replace(city.plan, **{field: value}))
    assert prepare(changed).snapshot != record["snapshot"]["digest"]
    with pytest.raises(VerificationError, match=rf"the input's plan differs .*\$\.plan\.{field}"):
        verify_record(record, changed)


@pytest.mark.parametrize(
    "options",
    [
        FrozenOptions(AssignConfig(probability_cap=Fraction(1, 3))),
        FrozenOptions(AssignConfig(max_pair_visits=3)),
        FrozenOptions(unstaffable="defer"),
    ],
    ids=["cap", "pair", "unstaffable"],
)
def test_each_option_is_in_the_digest_and_verify_names_it(
    options: FrozenOptions, city: City, record: dict[str, Any]
) -> None:
    other = draw_quarter(city, year=2026, quarter=1, seed=SEED, options=options)
    assert other["snapshot"]["digest"] != record["snapshot"]["digest"]
    assert other["snapshot"]["options"] != record["snapshot"]["options"]
    verify_record(other, city)
    edited = copy.deepcopy(record)
    edited["snapshot"]["options"] = other["snapshot"]["options"]
    with pytest.raises(VerificationError, match=r"these parts changed: options \("):
        verify_record(edited, city)


def test_the_rotation_records_are_in_the_digest_and_verify_names_them(city: City) -> None:
    last = replace(city, plan=replace(city.plan, year=2025, quarter=4))
    q4 = attach_assignments(draw_quarter(last, year=2025, quarter=4, seed=SEED), last, [])
    with_rotation = draw_quarter(city, year=2026, quarter=1, seed=SEED, rotation=[q4])
    without = draw_quarter(city, year=2026, quarter=1, seed=SEED)
    assert with_rotation["snapshot"]["digest"] != without["snapshot"]["digest"]
    assert [v["uscc"] for v in with_rotation["visits"]] == [v["uscc"] for v in without["visits"]]
    verify_record(with_rotation, city, [q4])
    with pytest.raises(
        VerificationError, match=r"these parts changed: rotation .* fixed 2025Q4 .* given none"
    ):
        verify_record(with_rotation, city, [])


def test_an_option_other_than_the_frozen_one_is_refused(city: City, record: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match=r"fixed at the freeze .* probability cap 1/3 \(frozen: 1/2\)"):
        attach_assignments(record, city, [], config=AssignConfig(probability_cap=Fraction(1, 3)))
    with pytest.raises(ValidationError, match=r"max pair 2 \(frozen: None\)"):
        attach_assignments(record, city, [], config=AssignConfig(max_pair_visits=2))
    same = attach_assignments(record, city, [], config=AssignConfig())
    assert same["assignment"]["config"] == {"max_pair_visits": None, "probability_cap": "1/2"}


@pytest.mark.parametrize("kind", ["conflicts", "officer capacity", "officer fields", "item team size"])
def test_the_inspector_draw_refuses_inputs_changed_after_the_freeze(
    kind: str, city: City, record: dict[str, Any]
) -> None:
    part, change = CHANGES[kind]
    with pytest.raises(ValidationError, match=rf"changed after the freeze .*: {part} \("):
        attach_assignments(record, change(city), [])


def test_the_offsets_are_committed_and_verify_uses_them(city: City, record: dict[str, Any]) -> None:
    """The committed layout is in the digest; a layout other than the model's is named as such."""
    coordination = record["plan"]["coordination"]
    assert set(coordination["offsets"]) == set(coordination["aligned"])
    edited = copy.deepcopy(record)
    task = min(coordination["aligned"])
    aligned = edited["plan"]["coordination"]["aligned"]
    aligned[task] = [] if aligned[task] else ["A", "B", "C", "D"]
    with pytest.raises(VerificationError, match="coordination"):
        verify_record(edited, city)


def test_an_older_record_format_is_refused_with_its_version(
    city: City, record: dict[str, Any], tmp_path: Any
) -> None:
    old = {**record, "format": "spotcheck-draw/2"}
    with pytest.raises(
        VerificationError, match=r"record format spotcheck-draw/2 is older than spotcheck-draw/3"
    ):
        verify_record(old, city)
    path = tmp_path / "old.json"
    path.write_bytes(dump_record(old))
    with pytest.raises(ValidationError, match=r"spotcheck-draw/2 is older .* not read by this version"):
        load_record(path)
