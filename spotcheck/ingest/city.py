"""Load a whole city folder (docs/formats.md) into the frozen ``City``, checking every cross-file reference.

Files are read in dependency order; the first file with problems stops the load with a ValidationError
listing every problem of that file. Every tuple of the City is sorted by key, so row order never matters.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any

import numpy as np

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import City, Plan, TierRecord
from spotcheck.ingest.columns import FILE_NAMES, KEYS, KINDS
from spotcheck.ingest.fast_parse import fast_firms, fast_tiers
from spotcheck.ingest.parse import Parsed, Progress, parse_file
from spotcheck.ingest.plan import check_plan, parse_plan
from spotcheck.ingest.references import check_references, lookup_in
from spotcheck.ingest.tiers import in_force, quarter_start
from spotcheck.solver.draw.firm_columns import FirmColumns, TierColumns

__all__ = ["OPTIONAL_KINDS", "find_file", "load_city", "read_plan"]

# A city may have no tiers yet (everyone is DEFAULT_TIER), no experts and no recusals.
OPTIONAL_KINDS = frozenset({"tiers", "experts", "conflicts"})


KNOWN_BY = {
    "departments": "code",
    "districts": "code",
    "items": "code",
    "enterprises": "uscc",
    "inspectors": "id",
}


class SortedCodes(Collection[str]):
    """Credit codes held as a sorted ``S18`` array, asked like a set (for ``lookup_in``)."""

    def __init__(self, codes: np.ndarray) -> None:
        self.codes = codes

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str) or not code.isascii():
            return False
        key = code.encode("ascii")
        at = int(np.searchsorted(self.codes, key))
        return at < len(self.codes) and self.codes[at] == key

    def __iter__(self) -> Iterator[str]:
        return (c.decode("ascii") for c in self.codes)

    def __len__(self) -> int:
        return len(self.codes)


def _codes(known: Collection[str]) -> np.ndarray:
    if isinstance(known, SortedCodes):
        return known.codes
    return np.array(sorted(c.encode("ascii") for c in known if c.isascii()), dtype="S18")


def _columnar(kind: str, path: Path, known: dict[str, Collection[str]]) -> FirmColumns | TierColumns | None:
    """Enterprises or tiers read as columns, when every row and every reference passes (else None: the row
    reader then reads the file and reports each problem with its line)."""
    if kind == "enterprises":
        fast = fast_firms(path)
        if fast is None or not set(fast.firms.districts) <= set(known["districts"]):
            return None
        return fast.firms
    if kind == "tiers":
        return fast_tiers(path, _codes(known["enterprises"]))
    return None


def find_file(folder: Path, kind: str) -> Path | None:
    """``departments.csv`` or, failing that, ``departments.xlsx`` in ``folder``."""
    stem = Path(FILE_NAMES[kind]).stem
    for suffix in (".csv", ".xlsx"):
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def read_plan(path: Path) -> Plan:
    """Parse a plan.json file (ratios must be decimal strings; JSON numbers are refused by parse_plan)."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"{path.name}: not readable JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValidationError(f"{path.name}: must hold a JSON object")
    return parse_plan(data)


def load_city(
    folder: Path,
    *,
    plan_path: Path | None = None,
    as_of: date | None = None,
    progress: Progress | None = None,
) -> City:
    """Read ``folder`` into a City; the plan from ``plan_path`` if given (another quarter's plan over the same
    directories), else from the folder's plan.json.

    ``tiers``: with ``as_of`` (or, without it, the first day of plan.json's quarter) only the record in force
    per firm on that date; with neither, the whole history. Sorted by (uscc, effective, batch).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValidationError(f"{folder}: not a folder")
    known: dict[str, Collection[str]] = {}
    loaded: dict[str, Any] = {}
    for kind in KINDS:
        path = find_file(folder, kind)
        if path is None:
            if kind in OPTIONAL_KINDS:
                loaded[kind] = []
                continue
            raise ValidationError(f"{folder}: missing {FILE_NAMES[kind]} (or .xlsx)")
        columnar = _columnar(kind, path, known)
        if columnar is not None:
            loaded[kind] = columnar
            if kind == "enterprises":
                known[kind] = SortedCodes(columnar.codes)
            if progress is not None:
                progress(path.name, len(columnar))
            continue
        parsed: Parsed = parse_file(kind, path, progress=progress)
        check_references(parsed, lookup_in(known))
        parsed.raise_if_bad()
        records = [record for _, record in parsed.records]
        records.sort(key=attrgetter(*KEYS[kind]))
        loaded[kind] = records
        if kind in KNOWN_BY:  # the keys other files may refer to
            known[kind] = {getattr(r, KNOWN_BY[kind]) for r in records}

    plan = None
    if plan_path is None:
        plan_path = folder / "plan.json"
    elif not plan_path.is_file():
        raise ValidationError(f"{plan_path}: no such plan file")
    if plan_path.is_file():
        plan = read_plan(plan_path)
        check_plan(
            plan,
            departments=known["departments"],
            items={i.code: i.department for i in loaded["items"]},
            districts=known["districts"],
        )
    on = as_of if as_of is not None else (quarter_start(plan.year, plan.quarter) if plan else None)
    tiers: Sequence[TierRecord]
    if isinstance(loaded["tiers"], TierColumns):
        tiers = loaded["tiers"] if on is None else loaded["tiers"].in_force(on)
    else:
        tiers = tuple(loaded["tiers"]) if on is None else in_force(loaded["tiers"], on)
    return City(
        departments=tuple(loaded["departments"]),
        districts=tuple(loaded["districts"]),
        items=tuple(loaded["items"]),
        enterprises=loaded["enterprises"]
        if isinstance(loaded["enterprises"], FirmColumns)
        else tuple(loaded["enterprises"]),
        tiers=tiers,
        inspectors=tuple(loaded["inspectors"]),
        experts=tuple(loaded["experts"]),
        conflicts=tuple(loaded["conflicts"]),
        plan=plan,
    )
