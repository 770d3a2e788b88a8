"""Write a ``City`` as a city folder (docs/formats.md), so CLI tests read real files."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from spotcheck.domain.model import City
from spotcheck.solver.draw.snapshot import plan_dict

SEED = "c0ffee" * 6


def draw_args(city: Path, quarter: int, out: Path | str, *, seed: str = SEED) -> list[str]:
    """``spotcheck draw``'s arguments: the city folder's quarter of 2026 under ``seed``, the record to ``out``."""
    return [
        "draw",
        "--input",
        str(city),
        "--year",
        "2026",
        "--quarter",
        str(quarter),
        "--seed",
        seed,
        "--out",
        str(out),
    ]


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_city(city: City, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "departments.csv",
        ["code", "name", "name_en"],
        [[d.code, d.name, d.name_en] for d in city.departments],
    )
    _write(folder / "districts.csv", ["code", "name"], [[d.code, d.name] for d in city.districts])
    _write(
        folder / "check_items.csv",
        ["code", "department", "name", "legal_basis", "method", "key", "target_kinds", "field", "team_size"],
        [
            [
                i.code,
                i.department,
                i.name,
                i.legal_basis,
                i.method.value,
                int(i.key),
                ";".join(k.value for k in i.target_kinds),
                i.field,
                i.team_size,
            ]
            for i in city.items
        ],
    )
    _write(
        folder / "enterprises.csv",
        ["uscc", "name", "kind", "district", "industry", "status"],
        [[f.uscc, f.name, f.kind.value, f.district, f.industry, f.status.value] for f in city.enterprises],
    )
    _write(
        folder / "tiers.csv",
        ["uscc", "tier", "effective", "batch"],
        [[t.uscc, t.tier.value, t.effective.isoformat(), t.batch] for t in city.tiers],
    )
    _write(
        folder / "inspectors.csv",
        ["id", "name", "department", "district", "certificate", "fields", "capacity", "active"],
        [
            [
                o.id,
                o.name,
                o.department,
                o.district,
                o.certificate,
                ";".join(o.fields),
                o.capacity,
                int(o.active),
            ]
            for o in city.inspectors
        ],
    )
    assert city.plan is not None
    data = plan_dict(city.plan)
    data["targets"] = {k: v if isinstance(v, int) else _decimal(v) for k, v in data["targets"].items()}
    for task in data["tasks"] + data["joint_tasks"]:
        task["ratios"] = {k: _decimal(v) for k, v in task["ratios"].items()}
    (folder / "plan.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def _decimal(fraction_text: str) -> str:
    """ "1/20" -> "0.05", exactly (the test plans use ratios with finite decimal forms)."""
    value = Fraction(fraction_text)
    return str(Decimal(value.numerator) / Decimal(value.denominator))
