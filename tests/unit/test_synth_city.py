"""The generated city: deterministic files, realistic mixes, consistent references, loadable by ingest."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from stdnum.cn import uscc as stdnum_uscc
from typer.testing import CliRunner

from spotcheck.cli import app
from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import CITY_LEVEL
from spotcheck.synth import FILES, generate_city
from spotcheck.synth.catalog import DEPARTMENTS, fields_of
from spotcheck.synth.composition import DANDONG
from spotcheck.synth.geography import AREAS

FIRMS = 20_000


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city")
    generate_city(out, firms=FIRMS, seed="🐉 synth-test")
    return out


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    for name, seed in (("a", "s1"), ("b", "s1"), ("c", "s2")):
        generate_city(tmp_path / name, firms=1_500, seed=seed)
    for file in FILES:
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file
    assert (tmp_path / "a" / "enterprises.csv").read_bytes() != (
        tmp_path / "c" / "enterprises.csv"
    ).read_bytes()
    assert (tmp_path / "a" / "inspectors.csv").read_bytes() != (
        tmp_path / "c" / "inspectors.csv"
    ).read_bytes()


def test_every_file_is_written_and_nothing_partial_is_left(city: Path) -> None:
    assert sorted(p.name for p in city.iterdir()) == sorted(FILES)


def test_codes_are_valid_unique_and_match_kind_and_district(city: Path) -> None:
    firms = rows(city, "enterprises.csv")
    assert len(firms) == FIRMS
    codes = [f["uscc"] for f in firms]
    assert len(set(codes)) == FIRMS
    assert all(stdnum_uscc.is_valid(c) for c in codes)
    digit = {"enterprise": "1", "individual": "2", "cooperative": "3"}
    districts = {a.code for a in AREAS}
    for f in firms:
        assert f["uscc"][0] == "9" and f["uscc"][1] == digit[f["kind"]]
        assert f["uscc"][2:8] == f["district"] and f["district"] in districts


def test_kind_status_and_industry_mix_look_like_a_real_city(city: Path) -> None:
    firms = rows(city, "enterprises.csv")
    kinds = Counter(f["kind"] for f in firms)
    assert abs(kinds["enterprise"] / FIRMS - 0.31) < 0.02
    assert abs(kinds["individual"] / FIRMS - 0.68) < 0.02
    assert 0.005 < kinds["cooperative"] / FIRMS < 0.015
    status = Counter(f["status"] for f in firms)
    assert status["active"] / FIRMS > 0.85
    assert 0.02 < status["abnormal"] / FIRMS < 0.04
    gone = sum(status[s] for s in ("closed", "deregistered", "revoked", "cancelled", "moved_out"))
    assert 0.03 < gone / FIRMS < 0.10
    industries = Counter(f["industry"] for f in firms)
    assert industries.most_common(1)[0][0] == "F"  # wholesale and retail dominate
    coop_industries = Counter(f["industry"] for f in firms if f["kind"] == "cooperative")
    assert coop_industries.most_common(1)[0][0] == "A"


def test_names_dates_and_addresses_are_chinese_registrations(city: Path) -> None:
    for f in rows(city, "enterprises.csv")[:2_000]:
        if f["kind"] == "enterprise":
            assert f["name"].endswith("公司")
        elif f["kind"] == "cooperative":
            assert f["name"].endswith("专业合作社")
        assert f["address"].startswith("山东省临沂市")
        assert 2 <= len(f["legal_rep"]) <= 3
        assert "1995-01-01" <= f["registered_on"] <= "2025-12-31"


def test_tier_mix_is_dandongs_and_history_has_two_batches(city: Path) -> None:
    tiers = rows(city, "tiers.csv")
    batches = sorted({t["batch"] for t in tiers})
    assert len(batches) == 2
    first = Counter(t["tier"] for t in tiers if t["batch"] == batches[0])
    total = sum(first.values())
    for tier, share in zip("ABCD", DANDONG, strict=True):
        assert abs(first[tier] / total - share / 1000) < 0.015, tier
    per_firm = Counter(t["uscc"] for t in tiers)
    assert any(n == 2 for n in per_firm.values())  # re-tiered firms keep their history
    untiered = FIRMS - len(per_firm)
    assert 0.005 < untiered / FIRMS < 0.05


def test_officers_fields_districts_and_certificates_are_consistent(city: Path) -> None:
    officers = rows(city, "inspectors.csv")
    assert len(officers) >= 60
    assert len({o["id"] for o in officers}) == len(officers)
    assert len({o["certificate"] for o in officers}) == len(officers)
    districts = {a.code for a in AREAS} | {CITY_LEVEL}
    for o in officers:
        assert o["district"] in districts
        assert set(o["fields"].split(";")) <= set(fields_of(o["department"]))
        assert int(o["capacity"]) > 0
    for dept in DEPARTMENTS:
        city_level = [o for o in officers if o["department"] == dept.code and o["district"] == CITY_LEVEL]
        assert sum(o["active"] == "1" for o in city_level) >= 3
    assert any(o["active"] == "0" for o in officers) or len(officers) < 100


def test_conflicts_pair_officers_with_firms_of_their_district(city: Path) -> None:
    district = {f["uscc"]: f["district"] for f in rows(city, "enterprises.csv")}
    officer = {o["id"]: o["district"] for o in rows(city, "inspectors.csv")}
    conflicts = rows(city, "conflicts.csv")
    assert conflicts
    for c in conflicts:
        assert officer[c["inspector"]] in (CITY_LEVEL, district[c["uscc"]])
        assert c["reason"]
    experts = rows(city, "experts.csv")
    assert {e["department"] for e in experts} == {d.code for d in DEPARTMENTS}


def test_the_folder_loads_with_ingest(city: Path) -> None:
    from spotcheck.ingest import load_city

    loaded = load_city(city)
    assert len(loaded.enterprises) == FIRMS
    assert loaded.plan is not None and (loaded.plan.year, loaded.plan.quarter) == (2026, 1)
    assert len(loaded.items) == len(rows(city, "check_items.csv"))


def test_bad_arguments_are_refused_with_every_reason(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        generate_city(tmp_path, firms=0, seed="", officers=3, quarter=5)
    message = str(info.value)
    for word in ("--firms", "--seed", "--officers", "--quarter"):
        assert word in message
    assert not any(tmp_path.iterdir())


def test_cli_generate_writes_the_folder_and_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["generate", "--firms", "500", "--seed", "x", "--out", str(tmp_path / "c")]
    )
    assert result.exit_code == 0, result.output
    assert "500 firms" in result.output
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted(FILES)
    bad = CliRunner().invoke(app, ["generate", "--firms", "-1", "--seed", "x", "--out", str(tmp_path / "d")])
    assert bad.exit_code == 1 and "--firms" in bad.output


def test_the_plan_draws_and_every_team_is_staffed(city: Path) -> None:
    """End to end on the generated city: the target draw accepts the plan, the inspector draw staffs it."""
    from spotcheck.ingest import load_city
    from spotcheck.solver.assign.record import attach_assignments
    from spotcheck.solver.draw.quarter import draw_quarter

    loaded = load_city(city)
    record = draw_quarter(loaded, year=2026, quarter=1, seed="5eed" * 8)
    assert record["summary"]["quarter"]["joint_visits"] > 0
    stats = attach_assignments(record, loaded, [])["assignment"]["stats"]
    assert stats["teams"] > 100 and stats["teams_unstaffed"] == 0


def test_the_committed_sample_is_what_the_generator_writes(tmp_path: Path) -> None:
    """data/sample is ``spotcheck generate --firms 2000 --seed sample``; regenerate it if this fails on purpose."""
    data = Path(__file__).resolve().parents[2] / "data"
    generate_city(tmp_path, firms=2_000, seed="sample")
    for file in FILES:
        assert (data / "sample" / file).read_bytes() == (tmp_path / file).read_bytes(), file
    assert (data / "plan.example.json").read_bytes() == (tmp_path / "plan.json").read_bytes()


def test_an_unwritable_target_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ValidationError, match="cannot write the city"):
        generate_city(blocker, firms=10, seed="x")


def test_a_failed_run_leaves_nothing_half_written(tmp_path: Path) -> None:
    def interrupt(message: str) -> None:
        if message.startswith("plan outlook"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate_city(tmp_path, firms=300, seed="x", progress=interrupt)
    assert list(tmp_path.iterdir()) == []
