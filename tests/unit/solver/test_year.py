"""Four quarters drawn in sequence with history: targets met (recounted from visits), the law kept."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import pytest

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import EXCLUDED_STATUSES, EntityKind
from spotcheck.solver.draw.quarter import draw_quarter
from spotcheck.solver.draw.record import record_digest
from tests.unit.solver import citykit

SEEDS = ("a1" * 16, "b2" * 16, "c3" * 16, "d4" * 16)


@pytest.fixture(scope="module")
def year() -> tuple[Any, list[dict[str, Any]]]:
    city = citykit.city(4000)
    records: list[dict[str, Any]] = []
    for q, seed in enumerate(SEEDS, start=1):
        quarter_city = replace(city, plan=citykit.plan(quarter=q))
        records.append(draw_quarter(quarter_city, year=2026, quarter=q, seed=seed, history=records))
    return city, records


def test_yearly_targets_are_met_counted_from_the_visits(year: tuple[Any, list[dict[str, Any]]]) -> None:
    city, records = year
    visits = [v for r in records for v in r["visits"]]
    firms = {f.uscc: f for f in city.enterprises}
    directory = sum(
        1 for f in city.enterprises if f.kind == EntityKind.ENTERPRISE and f.status not in EXCLUDED_STATUSES
    )
    covered = {v["uscc"] for v in visits if firms[v["uscc"]].kind == EntityKind.ENTERPRISE}
    joint = sum(1 for v in visits if len(set(v["departments"])) >= 2)
    assert len(covered) / directory >= 0.05
    assert joint / len(visits) >= 0.10
    ytd = records[-1]["summary"]["year_to_date"]
    assert (ytd["visits"], ytd["joint_visits"], ytd["enterprises_visited"]) == (
        len(visits),
        joint,
        len(covered),
    )


def test_every_quarter_meets_both_targets_with_the_margin(year: tuple[Any, list[dict[str, Any]]]) -> None:
    _, records = year
    for record in records:
        coordination = record["plan"]["coordination"]
        assert coordination["warnings"] == []
        assert not coordination["margins"]["coverage"]["at_risk"]
        assert not coordination["margins"]["joint_share"]["at_risk"]


def test_no_firm_gets_the_same_item_twice_or_too_many_visits(year: tuple[Any, list[dict[str, Any]]]) -> None:
    _, records = year
    items = Counter((v["uscc"], item) for r in records for v in r["visits"] for item in v["items"])
    assert max(items.values()) == 1
    visits = Counter(v["uscc"] for r in records for v in r["visits"])
    assert max(visits.values()) <= 2
    assert records[-1]["excluded"]["visit_cap"] >= 0
    assert sum(records[1]["excluded"]["same_item"].values()) > 0


def test_excluded_statuses_are_never_drawn_all_year(year: tuple[Any, list[dict[str, Any]]]) -> None:
    city, records = year
    status = {f.uscc: f.status for f in city.enterprises}
    assert not [v for r in records for v in r["visits"] if status[v["uscc"]] in EXCLUDED_STATUSES]


def test_history_is_cited_by_digest(year: tuple[Any, list[dict[str, Any]]]) -> None:
    _, records = year
    assert records[3]["history"] == [
        {"year": 2026, "quarter": q, "digest": record_digest(records[q - 1])} for q in (1, 2, 3)
    ]


def test_history_from_a_later_quarter_is_refused(year: tuple[Any, list[dict[str, Any]]]) -> None:
    city, records = year
    with pytest.raises(ValidationError, match="earlier quarter"):
        draw_quarter(
            replace(city, plan=citykit.plan(quarter=2)),
            year=2026,
            quarter=2,
            seed=SEEDS[0],
            history=records[2:3],
        )
