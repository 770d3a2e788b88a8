"""The quarter on the database, end to end (docs/operations.md): ``spotcheck demo``'s steps timed on the
synthetic city.

For each size: generate the city, then on a fresh SQLite file import, plan + commitments + freeze (snapshot and
CP-SAT coordination), beacon + draw, assign, start + simulated results with review (one transaction each, as
departments enter them), close + reveals + publish, and the audit chain check. Times are wall-clock seconds
between the demo's progress messages (each message follows the step's commit). Writes ``quarter.json``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench import write_result
from spotcheck.bootstrap import bootstrap
from spotcheck.config import Settings
from spotcheck.services.demo import run_demo

FULL = (20_000, 200_000)
QUICK = (3_000,)
# Progress messages that close a step, in order, and the step they close.
MARKS = (
    ("wrote ", "generate"),
    ("conflicts:", "import"),
    ("frozen:", "plan, commitments, freeze"),
    ("drawn:", "beacon, draw"),
    ("assigned:", "assign"),
    ("simulating", "start"),
    ("published:", "results + review, close, reveals, publish"),
)


def _one(firms: int, folder: Path) -> dict[str, Any]:
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()

    def say(message: str) -> None:
        for prefix, step in MARKS:
            if message.lstrip().startswith(prefix) or (prefix == "frozen:" and " frozen: " in message):
                marks.append((step, time.perf_counter()))

    with bootstrap(Settings(database_url=f"sqlite:///{folder / 'bench.sqlite'}"), migrate=True) as storage:
        report = run_demo(storage.uow, folder / "city", firms=firms, say=say)
    end_of_run = time.perf_counter()
    steps: dict[str, float] = {}
    last = start
    for step, at in marks:
        steps[step] = round(at - last, 2)
        last = at
    steps["report + audit verify"] = round(end_of_run - last, 2)
    return {
        "firms": firms,
        "visits": report.visits,
        "joint_visits": report.joint_visits,
        "joint_share": str(report.joint_share),
        "coverage_year_to_date": str(report.coverage),
        "audit_entries": report.audit_entries,
        "seconds": steps,
        "total_seconds": round(end_of_run - start, 2),
    }


def run(results_dir: Path, quick: bool) -> None:
    rows = []
    for firms in QUICK if quick else FULL:
        with tempfile.TemporaryDirectory(prefix="spotcheck-bench-quarter-") as tmp:
            row = _one(firms, Path(tmp))
        print(f"  {firms:,} firms: {row['total_seconds']} s {row['seconds']}", flush=True)
        rows.append(row)
    write_result(results_dir / "quarter.json", {"benchmark": "quarter", "runs": rows})
