"""load_city: a whole folder, cross-file references checked, every tuple sorted so row order never matters."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import Tier
from spotcheck.ingest import load_city
from tests.conftest import REAL_CODES


def rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_tiny_city_loads_sorted_and_complete(tiny_city_dir: Path) -> None:
    city = load_city(tiny_city_dir)
    assert len(city.enterprises) == 30 and len(city.inspectors) == 10 and city.plan is not None
    for group in (city.departments, city.districts, city.items):
        assert [x.code for x in group] == sorted(x.code for x in group)
    assert [f.uscc for f in city.enterprises] == sorted(f.uscc for f in city.enterprises)
    assert set(REAL_CODES) <= {f.uscc for f in city.enterprises}


def test_row_order_never_matters(tiny_city_dir: Path, tmp_path: Path) -> None:
    before = load_city(tiny_city_dir)
    for name in ("enterprises.csv", "inspectors.csv", "tiers.csv", "check_items.csv"):
        rewrite(tiny_city_dir / name, lambda rows: [rows[0], *reversed(rows[1:])])
    assert load_city(tiny_city_dir) == before


def test_tiers_in_force_at_the_plan_quarter_or_a_given_date(tiny_city_dir: Path) -> None:
    at_quarter = {t.uscc: t for t in load_city(tiny_city_dir).tiers}
    assert at_quarter[REAL_CODES[0]].tier is Tier.A  # the 2026-02 record is not yet in force on 2026-01-01
    later = {t.uscc: t for t in load_city(tiny_city_dir, as_of=date(2026, 3, 1)).tiers}
    assert later[REAL_CODES[0]].tier is Tier.C and len(later) == len(at_quarter) == 20
    assert load_city(tiny_city_dir, as_of=date(2025, 1, 1)).tiers == ()


def test_unknown_references_in_the_folder_are_refused(tiny_city_dir: Path) -> None:
    rewrite(tiny_city_dir / "conflicts.csv", lambda rows: [*rows, ["NOBODY", REAL_CODES[1], "x"]])
    with pytest.raises(ValidationError) as caught:
        load_city(tiny_city_dir)
    assert [(p.line, p.field) for p in caught.value.problems] == [(4, "inspector")]
    assert "unknown inspector 'NOBODY'" in str(caught.value)


def test_a_firm_in_an_unknown_district_is_refused(tiny_city_dir: Path) -> None:
    rewrite(
        tiny_city_dir / "enterprises.csv",
        lambda rows: [rows[0], [*rows[1][:3], "999999", *rows[1][4:]], *rows[2:]],
    )
    with pytest.raises(ValidationError, match="line 2: district: unknown district '999999'"):
        load_city(tiny_city_dir)


def test_plan_items_must_belong_to_the_task_department(tiny_city_dir: Path) -> None:
    data = json.loads((tiny_city_dir / "plan.json").read_text(encoding="utf-8"))
    data["tasks"][0]["items"] = ["XF-01"]
    (tiny_city_dir / "plan.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError, match="item 'XF-01' belongs to XF, not SCJG"):
        load_city(tiny_city_dir)


def test_optional_files_may_be_absent_but_directories_may_not(tiny_city_dir: Path) -> None:
    for name in ("tiers.csv", "experts.csv", "conflicts.csv", "plan.json"):
        (tiny_city_dir / name).unlink()
    city = load_city(tiny_city_dir)
    assert (city.tiers, city.experts, city.conflicts, city.plan) == ((), (), (), None)
    (tiny_city_dir / "inspectors.csv").unlink()
    with pytest.raises(ValidationError, match="missing inspectors.csv"):
        load_city(tiny_city_dir)
