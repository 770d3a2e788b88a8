"""Cross-file references: an item's department, a firm's district, an inspector's department and district, a
tier's or a conflict's firm, a conflict's inspector. Checked against whatever holds the other files: the folder
being loaded, or the database (``Lookup`` answers which of the asked keys exist).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from spotcheck.domain.errors import Problem
from spotcheck.domain.model import CITY_LEVEL
from spotcheck.ingest.parse import Parsed

__all__ = ["REFERENCES", "Lookup", "check_references", "lookup_in"]

# kind -> [(attribute of the record, kind of file it refers to)]
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "departments": (),
    "districts": (),
    "items": (("department", "departments"),),
    "enterprises": (("district", "districts"),),
    "tiers": (("uscc", "enterprises"),),
    "inspectors": (("department", "departments"), ("district", "districts")),
    "experts": (("department", "departments"),),
    "conflicts": (("inspector", "inspectors"), ("uscc", "enterprises")),
}

# lookup(target kind, keys asked) -> the keys among them that exist
Lookup = Callable[[str, set[str]], set[str]]

_WHAT = {
    "departments": "department",
    "districts": "district",
    "enterprises": "firm",
    "inspectors": "inspector",
}


def lookup_in(known: Mapping[str, Collection[str]]) -> Lookup:
    """A Lookup over keys already in memory (e.g. the other files of a city folder)."""

    def lookup(target: str, keys: set[str]) -> set[str]:
        present = known.get(target, ())
        return {k for k in keys if k in present}

    return lookup


def check_references(parsed: Parsed, lookup: Lookup) -> None:
    """Append a problem to ``parsed`` for every reference to something that does not exist; drop those rows."""
    refs = REFERENCES[parsed.kind]
    if not refs or not parsed.records:
        return
    missing: dict[str, set[str]] = {}
    for attribute, target in refs:
        wanted = {getattr(r, attribute) for _, r in parsed.records}
        if attribute == "district":
            wanted.discard(CITY_LEVEL)
        missing[attribute] = wanted - lookup(target, wanted)
    if not any(missing.values()):
        return
    kept = []
    for line, record in parsed.records:
        bad = False
        for attribute, target in refs:
            value = getattr(record, attribute)
            if value in missing[attribute]:
                parsed.problems.append(Problem(line, attribute, f"unknown {_WHAT[target]} {value!r}"))
                bad = True
        if not bad:
            kept.append((line, record))
    parsed.records = kept
