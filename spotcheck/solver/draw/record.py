"""The draw record: one canonical JSON document per quarterly draw (docs/draw-spec.md §7).

Canonical bytes are ``json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` in UTF-8 with a
trailing newline. Integers that fit in 53 bits are JSON numbers; 64-bit lottery numbers, offsets and thresholds
are decimal strings; ratios and shares are fraction strings ("1/20"). No floats anywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from spotcheck.domain.errors import ValidationError
from spotcheck.domain.model import Visit

__all__ = [
    "ALGORITHM",
    "ASSIGNMENT_KEYS",
    "RECORD_FORMAT",
    "dump_record",
    "format_refusal",
    "load_record",
    "record_digest",
    "target_part",
    "visits_of",
]

RECORD_FORMAT = "spotcheck-draw/3"
# Earlier formats are refused with their version named (draw-spec §7.2): their snapshot digest covers neither the
# inspector draw's inputs nor the coordination, so this version cannot check what they fixed.
OLD_FORMATS = ("spotcheck-draw/1", "spotcheck-draw/2")
ALGORITHM = "prn-interval/1"
# Parts of a record added after the target draw by the inspector draw (docs/assign-spec.md §7); the target part excludes them.
ASSIGNMENT_KEYS = ("assignment",)
VISIT_ASSIGNMENT_KEYS = ("officers",)
# Outside JSON strings, a float is a number token with a fraction or an exponent (or NaN / Infinity).
_FLOAT = re.compile(r"[0-9](?:\.|[eE])|NaN|Infinity")


def dump_record(record: dict[str, Any]) -> bytes:
    """The canonical serialisation of a record (draw-spec §7): what is published, hashed and compared."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if _has_float_token(text):
        _refuse_floats(record, "record")  # find where, for the message
    return (text + "\n").encode("utf-8")


def record_digest(record: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical bytes; later quarters cite earlier records by it."""
    return hashlib.sha256(dump_record(record)).hexdigest()


def load_record(path: Path | str) -> dict[str, Any]:
    """Read a record file; refuse anything that is not a draw record of a known format."""
    path = Path(path)
    try:
        record = json.loads(path.read_bytes().decode("utf-8"), parse_float=_no_float)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise ValidationError(f"{path}: not a readable draw record ({exc})") from exc
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        found = record.get("format") if isinstance(record, dict) else type(record).__name__
        raise ValidationError(f"{path}: {format_refusal(found)}")
    return record


def format_refusal(found: Any) -> str:
    """Why a record of another format is not read: an older version is named as such."""
    if found in OLD_FORMATS:
        return (
            f"record format {found} is older than {RECORD_FORMAT} and is not read by this version: its snapshot "
            "does not fix the inspector draw's inputs or the coordination (docs/draw-spec.md §7.2)"
        )
    return f"not a draw record of format {RECORD_FORMAT} (found {found!r})"


def visits_of(record: dict[str, Any]) -> list[Visit]:
    """The record's visits as domain objects, in record order (sorted by id)."""
    try:
        return [
            Visit(
                id=v["id"],
                uscc=v["uscc"],
                district=v["district"],
                lead=v["lead"],
                departments=tuple(v["departments"]),
                items=tuple(v["items"]),
            )
            for v in record["visits"]
        ]
    except (KeyError, TypeError) as exc:
        raise ValidationError(f"draw record has a malformed visit ({exc!r})") from exc


def target_part(record: dict[str, Any]) -> dict[str, Any]:
    """The record without what the inspector draw adds: what the target draw alone must reproduce."""
    part = {k: v for k, v in record.items() if k not in ASSIGNMENT_KEYS}
    if isinstance(part.get("visits"), list):
        part["visits"] = [
            {k: v for k, v in visit.items() if k not in VISIT_ASSIGNMENT_KEYS}
            if isinstance(visit, dict)
            else visit
            for visit in part["visits"]
        ]
    return part


def _has_float_token(text: str) -> bool:
    """Whether JSON text has a float outside its strings (escapes removed first, so quotes pair up)."""
    outside = text.replace("\\\\", "").replace('\\"', "").split('"')[::2]
    return _FLOAT.search("".join(outside)) is not None


def _no_float(text: str) -> Any:
    raise ValueError(f"floats are not allowed in a draw record: {text}")


def _refuse_floats(value: Any, where: str) -> None:
    if isinstance(value, float):
        raise TypeError(f"float in record at {where}; use an integer or a fraction string")
    if isinstance(value, dict):
        for k, v in value.items():
            _refuse_floats(v, f"{where}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _refuse_floats(v, f"{where}[{i}]")
