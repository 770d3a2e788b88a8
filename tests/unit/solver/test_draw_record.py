"""Same inputs + seed give the same bytes; any change in the record or the inputs makes verify fail."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from spotcheck.domain.errors import VerificationError
from spotcheck.domain.model import EXCLUDED_STATUSES, Status
from spotcheck.solver.draw.prn import lottery_number, parse_seed
from spotcheck.solver.draw.quarter import draw_quarter
from spotcheck.solver.draw.record import dump_record, load_record, record_digest, target_part, visits_of
from spotcheck.solver.verify import first_difference, verify_file, verify_record
from tests.unit.solver.conftest import SEED


@pytest.fixture(scope="module")
def record(q1: dict[str, Any]) -> dict[str, Any]:
    return q1


def test_same_inputs_and_seed_give_identical_bytes(city: Any, record: dict[str, Any]) -> None:
    again = draw_quarter(city, year=2026, quarter=1, seed=SEED.upper())
    assert dump_record(again) == dump_record(record)


def test_shuffled_input_rows_give_identical_bytes(city: Any, record: dict[str, Any]) -> None:
    shuffled = replace(
        city,
        enterprises=city.enterprises[1::2] + city.enterprises[::2],
        tiers=tuple(reversed(city.tiers)),
        inspectors=tuple(reversed(city.inspectors)),
        items=tuple(reversed(city.items)),
    )
    assert dump_record(draw_quarter(shuffled, year=2026, quarter=1, seed=SEED)) == dump_record(record)


def test_another_seed_draws_other_firms(city: Any, record: dict[str, Any]) -> None:
    other = draw_quarter(city, year=2026, quarter=1, seed="1" * 32)
    assert [v["uscc"] for v in other["visits"]] != [v["uscc"] for v in record["visits"]]


def test_record_is_canonical_json_without_floats(record: dict[str, Any]) -> None:
    raw = dump_record(record)
    assert raw.endswith(b"\n")
    assert json.loads(raw) == record
    assert (
        raw == (json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    )
    assert record["seed"] == {"kind": "simulation", "value": SEED}
    assert record["format"] == "spotcheck-draw/3"


def test_every_draw_can_be_checked_by_the_firm(record: dict[str, Any]) -> None:
    seed = parse_seed(record["seed"]["value"])
    assert record["visits"]
    for visit in record["visits"]:
        assert visit["id"] == f"2026Q1-{visit['uscc']}"
        assert visit["joint"] == (len(visit["departments"]) >= 2)
        for d in visit["draws"]:
            u = lottery_number(seed, visit["uscc"])
            assert int(d["lottery"]) == u
            assert (u - int(d["offset"])) % 2**64 == int(d["position"]) < int(d["threshold"])


def test_visits_are_sorted_and_round_trip(record: dict[str, Any], tmp_path: Path) -> None:
    ids = [v["id"] for v in record["visits"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    path = tmp_path / "r.json"
    path.write_bytes(dump_record(record))
    assert load_record(path) == record
    assert [v.id for v in visits_of(record)] == ids


def test_excluded_statuses_are_never_drawn(city: Any, record: dict[str, Any]) -> None:
    status = {f.uscc: f.status for f in city.enterprises}
    assert all(status[v["uscc"]] not in EXCLUDED_STATUSES for v in record["visits"])
    assert record["excluded"]["status"]


def test_verify_accepts_the_record_file(city: Any, record: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(dump_record(record))
    assert verify_file(path, city) == record


def test_verify_fails_on_a_changed_byte(city: Any, record: dict[str, Any], tmp_path: Path) -> None:
    raw = dump_record(record)
    at = raw.index(b'"threshold":"') + len(b'"threshold":"')
    changed = raw[:at] + (b"7" if raw[at : at + 1] != b"7" else b"8") + raw[at + 1 :]
    path = tmp_path / "r.json"
    path.write_bytes(changed)
    with pytest.raises(VerificationError, match="threshold"):
        verify_file(path, city)


def test_verify_fails_on_non_canonical_bytes(city: Any, record: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(dump_record(record).replace(b'{"algorithm"', b'{ "algorithm"', 1))
    with pytest.raises(VerificationError, match="canonical"):
        verify_file(path, city)


def test_verify_fails_when_an_input_changes(city: Any, record: dict[str, Any]) -> None:
    first = city.enterprises[0]
    changed = replace(city, enterprises=(replace(first, status=Status.REVOKED),) + city.enterprises[1:])
    with pytest.raises(VerificationError, match="snapshot"):
        verify_record(record, changed)


def test_verify_ignores_the_inspector_part_only_through_its_own_check(
    city: Any, record: dict[str, Any]
) -> None:
    with_officers = dict(record, visits=[dict(v, officers=[]) for v in record["visits"]])
    assert target_part(with_officers) == record
    verify_record(with_officers, city)  # no "assignment" section: nothing else to check
    with pytest.raises(VerificationError):
        verify_record(dict(with_officers, assignment={}), city)  # checked by issue 5's module (or refused)


def test_first_difference_names_the_path() -> None:
    assert (
        first_difference({"a": [1, {"b": 2}]}, {"a": [1, {"b": 3}]}) == "$.a[1].b (record: 2, recomputed: 3)"
    )
    assert first_difference({"a": 1}, {"a": 1}) is None


def test_record_digest_is_sha256_of_the_bytes(record: dict[str, Any]) -> None:
    import hashlib

    assert record_digest(record) == hashlib.sha256(dump_record(record)).hexdigest()


def test_another_thread_count_gives_identical_bytes(record: dict[str, Any]) -> None:
    script = (
        "import sys, hashlib; sys.path.insert(0, '.');"
        "from tests.unit.solver import citykit;"
        "from spotcheck.solver.draw.quarter import draw_quarter;"
        "from spotcheck.solver.draw.record import dump_record;"
        f"print(hashlib.sha256(dump_record(draw_quarter(citykit.city(1500), year=2026, quarter=1, seed='{SEED}'))).hexdigest())"
    )
    env = {
        "OMP_NUM_THREADS": "2",
        "OPENBLAS_NUM_THREADS": "2",
        "MKL_NUM_THREADS": "2",
        "PATH": "/usr/bin:/bin",
    }
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == record_digest(record)


def test_the_snapshot_digest_fixes_the_plan_and_the_history(city: Any, record: dict[str, Any]) -> None:
    """Everything the draw reads before the seed is in the published digest (draw-spec §1)."""
    from spotcheck.solver.draw.quarter import prepare

    base = prepare(city).snapshot
    assert base == record["snapshot"]["digest"]
    task = city.plan.tasks[0]
    ratios = {t: r / 2 for t, r in task.ratios.items()}
    halved = replace(city.plan, tasks=(replace(task, ratios=ratios),) + city.plan.tasks[1:])
    assert prepare(city, halved).snapshot != base
    q2 = replace(city, plan=replace(city.plan, quarter=2))
    assert prepare(q2).snapshot != prepare(q2, history=[record]).snapshot


def test_verify_names_a_changed_plan_as_a_snapshot_mismatch(city: Any, record: dict[str, Any]) -> None:
    task = city.plan.tasks[0]
    ratios = {t: r / 2 for t, r in task.ratios.items()}
    changed = replace(
        city, plan=replace(city.plan, tasks=(replace(task, ratios=ratios),) + city.plan.tasks[1:])
    )
    with pytest.raises(
        VerificationError, match=r"not the record's snapshot: the input's plan differs .*ratios"
    ):
        verify_record(record, changed)


def test_verify_names_another_history_as_a_snapshot_mismatch(city: Any, record: dict[str, Any]) -> None:
    q2 = replace(city, plan=replace(city.plan, quarter=2))
    later = draw_quarter(q2, year=2026, quarter=2, seed=SEED, history=[record])
    verify_record(later, q2, [record])
    with pytest.raises(VerificationError, match=r"not the record's snapshot: the history records .* cites"):
        verify_record(later, q2, [])
    assert (
        later["snapshot"]["digest"] != draw_quarter(q2, year=2026, quarter=2, seed=SEED)["snapshot"]["digest"]
    )
