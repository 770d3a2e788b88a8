"""Recompute a published record and compare it with the published one, byte for byte (docs/draw-spec.md §8).

The file must be canonical (its bytes are exactly ``dump_record`` of its content) and of the current format (an
older format is refused with its version named, draw-spec §7.2, before any algorithm is looked up). Each section
is checked by the algorithm it names (``spotcheck.solver.algorithms``): the target part by its ``algorithm``,
the inspector draw by ``assignment.algorithm``. A ceremony seed is checked by
``spotcheck.evidence.ceremony.check_seed`` (docs/ceremony.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spotcheck.domain.errors import VerificationError
from spotcheck.domain.model import City
from spotcheck.evidence.ceremony import check_seed
from spotcheck.solver.algorithms import algorithm
from spotcheck.solver.difference import first_difference
from spotcheck.solver.draw.record import RECORD_FORMAT, dump_record, format_refusal, load_record

__all__ = ["first_difference", "verify_file", "verify_record"]


def verify_record(record: dict[str, Any], city: City, history: Sequence[dict[str, Any]] = ()) -> None:
    """Raise VerificationError naming the first difference; return None if the record is reproduced."""
    if record.get("format") != RECORD_FORMAT:
        raise VerificationError(format_refusal(record.get("format")))
    algorithm(record.get("algorithm"), "target").verify(record, city, history)
    if record.get("seed", {}).get("kind") == "ceremony":
        if record["seed"].get("snapshot_digest") != record["snapshot"]["digest"]:
            raise VerificationError("the ceremony seed was made for another snapshot than the record's")
        check_seed(record["seed"])
    if "assignment" in record:
        section = record["assignment"]
        named = section.get("algorithm") if isinstance(section, dict) else None
        algorithm(named, "assignment").verify(record, city, history)


def verify_file(path: Path | str, city: City, history: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """verify_record for a record file, which must also be byte-for-byte canonical; returns the record."""
    raw = Path(path).read_bytes()
    record = load_record(path)
    canonical = dump_record(record)
    if raw != canonical:
        at = next(
            (i for i, (a, b) in enumerate(zip(raw, canonical, strict=False)) if a != b),
            min(len(raw), len(canonical)),
        )
        raise VerificationError(f"{path} is not in canonical form (first differing byte at offset {at})")
    verify_record(record, city, history)
    return record
