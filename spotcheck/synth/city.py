"""``spotcheck generate``: write a whole synthetic city as the files of docs/formats.md.

Same seed, firm count, officer count, year and quarter → byte-identical files. Files are written under a
temporary name and renamed only when every file is complete, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spotcheck.domain.errors import ValidationError
from spotcheck.synth.calibration import Outlook, outlook
from spotcheck.synth.catalog import DEPARTMENTS, ITEMS
from spotcheck.synth.firms import FirmSummary, write_firms
from spotcheck.synth.geography import AREAS
from spotcheck.synth.plan import example_plan, plan_document
from spotcheck.synth.staff import MIN_PER_DEPARTMENT, Staff, build_staff

__all__ = ["FILES", "MAX_FIRMS", "Generated", "generate_city", "plan_json"]

MAX_FIRMS = 20_000_000  # the credit-code bodies leave room for far more; this bounds a typo
FILES = (
    "departments.csv", "districts.csv", "check_items.csv", "enterprises.csv", "tiers.csv",
    "inspectors.csv", "experts.csv", "conflicts.csv", "plan.json",
)  # fmt: skip
_HEADERS = {
    "departments.csv": ("code", "name", "name_en"),
    "districts.csv": ("code", "name"),
    "check_items.csv": ("code", "department", "name", "legal_basis", "method", "key", "target_kinds", "field", "team_size"),
    "enterprises.csv": ("uscc", "name", "kind", "district", "industry", "status", "legal_rep", "address", "registered_on"),
    "tiers.csv": ("uscc", "tier", "effective", "batch"),
    "inspectors.csv": ("id", "name", "department", "district", "certificate", "fields", "capacity", "active"),
    "experts.csv": ("id", "name", "department", "fields"),
    "conflicts.csv": ("inspector", "uscc", "reason"),
}  # fmt: skip
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Generated:
    """What was written, for the command's summary."""

    out: Path
    firms: FirmSummary
    staff: Staff
    outlook: Outlook


class _Files:
    """Open CSV writers under temporary names; ``commit`` renames them all."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.handles: dict[str, Any] = {}
        self.writers: dict[str, Any] = {}

    def writer(self, name: str) -> Any:
        if name not in self.writers:
            handle = (self.out / f".{name}.partial").open("w", encoding="utf-8", newline="")
            self.handles[name] = handle
            self.writers[name] = csv.writer(handle, lineterminator="\n")
            self.writers[name].writerow(_HEADERS[name])
        return self.writers[name]

    def rows(self, name: str, rows: Iterable[Sequence[object]]) -> None:
        self.writer(name).writerows(rows)

    def text(self, name: str, text: str) -> None:
        (self.out / f".{name}.partial").write_text(text, encoding="utf-8", newline="\n")
        self.handles.setdefault(name, None)

    def close(self, *, commit: bool) -> None:
        for name, handle in self.handles.items():
            if handle is not None:
                handle.close()
            partial = self.out / f".{name}.partial"
            if commit:
                os.replace(partial, self.out / name)
            else:
                partial.unlink(missing_ok=True)


def generate_city(
    out: Path,
    *,
    firms: int,
    seed: str,
    officers: int | None = None,
    year: int = 2026,
    quarter: int = 1,
    progress: Progress | None = None,
) -> Generated:
    """Write the nine files of a synthetic Linyi into ``out`` (created if missing)."""
    _check(firms=firms, seed=seed, officers=officers, year=year, quarter=quarter)
    say = progress or (lambda _message: None)
    try:
        out.mkdir(parents=True, exist_ok=True)
        files = _Files(out)
        try:
            made = _write_all(
                files, firms=firms, seed=seed, officers=officers, year=year, quarter=quarter, say=say
            )
        except BaseException:
            files.close(commit=False)
            raise
        files.close(commit=True)
    except OSError as exc:
        raise ValidationError(f"cannot write the city to {out}: {exc}") from exc
    say(f"wrote {len(FILES)} files to {out}")
    return made


def _write_all(
    files: _Files, *, firms: int, seed: str, officers: int | None, year: int, quarter: int, say: Progress
) -> Generated:
    """Every file's rows, in the order of docs/formats.md; firms stream, the rest is small."""
    files.rows("departments.csv", ((d.code, d.name, d.name_en) for d in DEPARTMENTS))
    files.rows("districts.csv", ((a.code, a.name) for a in AREAS))
    files.rows("check_items.csv", (
        (i.code, i.department, i.name, i.legal_basis, i.method.value, int(i.key),
         ";".join(k.value for k in i.target_kinds), i.field, i.team_size) for i in ITEMS
    ))  # fmt: skip
    summary = write_firms(
        seed, firms, year, files.writer("enterprises.csv"), files.writer("tiers.csv"),
        lambda done, total: say(f"firms {done:,}/{total:,}"),
    )  # fmt: skip
    plan = example_plan(year, quarter)
    view = outlook(plan, ITEMS, summary.counts)
    say(f"plan outlook: {view.summary()}")
    staff = build_staff(seed, officers, view.workload, summary.candidates)
    files.rows("inspectors.csv", (
        (i.id, i.name, i.department, i.district, i.certificate, ";".join(i.fields), i.capacity, int(i.active))
        for i in staff.inspectors
    ))  # fmt: skip
    files.rows("experts.csv", ((e.id, e.name, e.department, ";".join(e.fields)) for e in staff.experts))
    files.rows("conflicts.csv", ((c.inspector, c.uscc, c.reason) for c in staff.conflicts))
    files.text("plan.json", plan_json(plan_document(plan)))
    return Generated(files.out, summary, staff, view)


def plan_json(document: dict[str, Any]) -> str:
    """plan.json text: one task per line, so a plan reads (and diffs) like a table."""

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for key, value in document.items():
        if isinstance(value, list):
            body = ",\n".join(f"    {dump(entry)}" for entry in value)
            lines.append(f"  {dump(key)}: [\n{body}\n  ]" if value else f"  {dump(key)}: []")
        else:
            lines.append(f"  {dump(key)}: {dump(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _check(*, firms: int, seed: str, officers: int | None, year: int, quarter: int) -> None:
    problems = []
    if not 1 <= firms <= MAX_FIRMS:
        problems.append(f"--firms must be between 1 and {MAX_FIRMS:,}, got {firms}")
    if not seed:
        problems.append("--seed must not be empty")
    least = MIN_PER_DEPARTMENT * len(DEPARTMENTS)
    if officers is not None and officers < least:
        problems.append(
            f"--officers must be at least {least} ({MIN_PER_DEPARTMENT} per department), got {officers}"
        )
    if not 2000 <= year <= 2100:
        problems.append(f"--year must be between 2000 and 2100, got {year}")
    if not 1 <= quarter <= 4:
        problems.append(f"--quarter must be 1..4, got {quarter}")
    if problems:
        raise ValidationError("cannot generate the city: " + "; ".join(problems))
