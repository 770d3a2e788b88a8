"""The synthetic city's four quarters drawn in sequence with history: targets met, counted from the visits."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from spotcheck.domain.model import EXCLUDED_STATUSES, City, EntityKind
from spotcheck.ingest import load_city
from spotcheck.solver.draw.quarter import draw_quarter
from spotcheck.synth import generate_city
from spotcheck.synth.city import plan_json
from spotcheck.synth.plan import example_plan, plan_document

SEEDS = ("0a" * 32, "1b" * 32, "2c" * 32, "3d" * 32)


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[City, list[dict[str, Any]]]:
    folder: Path = tmp_path_factory.mktemp("synthetic-year")
    generate_city(folder, firms=20_000, seed="draw-four-quarters")
    records: list[dict[str, Any]] = []
    city = None
    for quarter, seed in enumerate(SEEDS, start=1):
        (folder / "plan.json").write_text(
            plan_json(plan_document(example_plan(2026, quarter))), encoding="utf-8"
        )
        city = load_city(folder)
        records.append(draw_quarter(city, year=2026, quarter=quarter, seed=seed, history=records))
    assert city is not None
    return city, records


def test_coverage_and_joint_share_reach_the_targets(year: tuple[City, list[dict[str, Any]]]) -> None:
    city, records = year
    visits = [v for r in records for v in r["visits"]]
    kind = {f.uscc: f.kind for f in city.enterprises}
    directory = sum(
        1 for f in city.enterprises if f.kind == EntityKind.ENTERPRISE and f.status not in EXCLUDED_STATUSES
    )
    covered = {v["uscc"] for v in visits if kind[v["uscc"]] == EntityKind.ENTERPRISE}
    joint = sum(1 for v in visits if len(set(v["departments"])) >= 2)
    assert len(covered) / directory >= 0.05
    assert joint / len(visits) >= 0.10


def test_the_law_holds_all_year(year: tuple[City, list[dict[str, Any]]]) -> None:
    city, records = year
    status = {f.uscc: f.status for f in city.enterprises}
    visits = [v for r in records for v in r["visits"]]
    assert not [v for v in visits if status[v["uscc"]] in EXCLUDED_STATUSES]
    assert max(Counter((v["uscc"], i) for v in visits for i in v["items"]).values()) == 1
    assert max(Counter(v["uscc"] for v in visits).values()) <= city.plan.targets.max_visits_per_firm_year  # type: ignore[union-attr]
