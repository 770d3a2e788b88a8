"""Every rule holds on the synthetic city's four quarters, checked visit by visit without the solver.

The city is the generator's (spotcheck.synth) at a small size; each quarter's visits come from its plan's
tasks by a hash of (quarter, task, firm) — a stand-in for the target draw that keeps this test fast — and
each quarter's draw reads the earlier quarters' records for rotation.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spotcheck.cli import app
from spotcheck.domain.model import EXCLUDED_STATUSES, City, Visit
from spotcheck.ingest import load_city
from spotcheck.solver.assign.inputs import last_teams
from spotcheck.solver.assign.record import attach_assignments, verify_assignments
from spotcheck.solver.assign.types import RULES
from spotcheck.solver.draw.frame import tiers_in_force
from spotcheck.solver.draw.record import dump_record, load_record
from spotcheck.synth import generate_city
from tests.unit.solver.test_assign_kit import record_of, rule_breaches

SCALE = 2  # ratios × 2: a few hundred visits a quarter from 20,000 firms, capacity binding here and there


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out: Path = tmp_path_factory.mktemp("synthetic-city")
    generate_city(out, firms=20_000, seed="assign-four-quarters")
    return out


@pytest.fixture(scope="module")
def synthetic(folder: Path) -> City:
    return load_city(folder)


def quarter_visits(city: City, quarter: int) -> list[Visit]:
    assert city.plan is not None
    tiers = tiers_in_force(city.tiers, date(2026, 1, 1))
    drawn: dict[str, dict[str, Any]] = {}
    tasks = [(t.id, t.department, t.scope, t.ratios, ((t.department, t.items),)) for t in city.plan.tasks]
    tasks += [
        (j.id, j.lead, j.scope, j.ratios, tuple((p.department, p.items) for p in j.participants))
        for j in city.plan.joint_tasks
    ]
    for firm in city.enterprises:
        if firm.status in EXCLUDED_STATUSES:
            continue
        for task_id, lead, scope, ratios, parts in tasks:
            ratio = ratios.get(tiers.get(firm.uscc), ratios[min(ratios)]) * SCALE
            u = int.from_bytes(
                hashlib.sha256(f"{quarter}:{task_id}:{firm.uscc}".encode()).digest()[:8], "big"
            )
            if scope.contains(firm) and u < ratio * 2**64:
                entry = drawn.setdefault(firm.uscc, {"firm": firm, "lead": lead, "items": set()})
                if len(parts) > 1:
                    entry["lead"] = lead
                entry["items"].update(code for _, items in parts for code in items)
    items = {i.code: i.department for i in city.items}
    return [
        Visit(
            f"2026Q{quarter}-{uscc}",
            uscc,
            e["firm"].district,
            e["lead"],
            tuple(sorted({items[c] for c in e["items"]})),
            tuple(sorted(e["items"])),
        )
        for uscc, e in sorted(drawn.items())
    ]


def test_every_rule_holds_on_four_quarters(synthetic: City) -> None:
    history: list[dict[str, Any]] = []
    for quarter in range(1, 5):
        visits = quarter_visits(synthetic, quarter)
        assert len(visits) > 100 and any(v.joint for v in visits)
        record = attach_assignments(record_of(visits, quarter=quarter), synthetic, history)
        assert rule_breaches(record, synthetic, last_teams(history)) == []
        section = record["assignment"]
        assert {p["rule"] for p in section["problems"]} <= set(RULES)
        assert (
            section["stats"]["teams_staffed"] + section["stats"]["teams_unstaffed"]
            == section["stats"]["teams"]
        )
        assert section["stats"]["teams_staffed"] > 0.8 * section["stats"]["teams"]
        assert [v["id"] for v in record["visits"]] == [v.id for v in visits]  # nothing dropped
        verify_assignments(record, synthetic, history)
        assert dump_record(
            attach_assignments(record_of(visits, quarter=quarter), synthetic, history)
        ) == dump_record(record)
        history.append(record)


def test_the_command_line_draws_records_and_takes_decisions(
    folder: Path, synthetic: City, tmp_path: Path
) -> None:
    visits = quarter_visits(synthetic, 1)
    targets, out = tmp_path / "q1.json", tmp_path / "q1-officers.json"
    targets.write_bytes(dump_record(record_of(visits)))
    run = CliRunner().invoke(
        app, ["assign", "--record", str(targets), "--input", str(folder), "--out", str(out)]
    )
    assert run.exit_code == 0, run.output
    record = load_record(out)
    assert out.read_bytes() == dump_record(record)  # canonical
    verify_assignments(record, synthetic, [])
    problem = record["assignment"]["problems"][0]
    assert f"unstaffed: {problem['visit']} {problem['department']} ({problem['rule']})" in run.output
    decisions = tmp_path / "decisions.json"
    decisions.write_text(
        json.dumps(
            {
                "format": "spotcheck-decisions/1",
                "decisions": [
                    {"visit": problem["visit"], "action": "defer", "reason": "next quarter", "by": "t"}
                ],
            }
        )
    )
    again = tmp_path / "q1-decided.json"
    args = [
        "assign",
        "--record",
        str(out),
        "--input",
        str(folder),
        "--decisions",
        str(decisions),
        "--out",
        str(again),
    ]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0, run.output
    decided = load_record(again)
    assert decided["assignment"]["decisions"][0]["visit"] == problem["visit"]
    assert problem["visit"] not in {p["visit"] for p in decided["assignment"]["problems"]}
    verify_assignments(decided, synthetic, [])
    decisions.write_text(
        '{"format": "spotcheck-decisions/1", "decisions": [{"visit": "x", "action": "forget"}]}'
    )
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 1 and "forget" in run.output
