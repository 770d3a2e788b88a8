"""The leaves of a publication's Merkle tree, and how two lists of them differ (docs/publication.md).

Each published visit, team (the officers of one department on one visit) and result is one leaf: a JSON object
of the row's published fields with a ``kind`` tag and the plan, as canonical JSON (``evidence.audit``). At
publication the leaves are ordered visits (by id), teams (by visit, department), results (by visit, department,
version); a correction appends its result leaf at the end. ``differences`` compares the leaves sealed at
publication with the ones rebuilt from the stored rows and names each altered, added or deleted row. Pure.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from spotcheck.domain.categories import category
from spotcheck.evidence.canonical import canonical_json

__all__ = [
    "KINDS",
    "Leaf",
    "differences",
    "feed_payload",
    "ordered",
    "result_leaf",
    "team_leaf",
    "visit_leaf",
]

KINDS = ("visit", "team", "result")


@dataclass(frozen=True)
class Leaf:
    kind: str
    key: str  # visit id; "visit/department" for a team; the result's id for a result
    data: dict[str, Any]

    @cached_property
    def text(self) -> str:
        """The leaf's canonical JSON, written once: a tree's root, its check and its storage all read it."""
        return canonical_json(self.data)

    @property
    def bytes(self) -> bytes:
        return self.text.encode("utf-8")

    def name(self) -> str:
        """How a report names the row: kind and id, visit, department."""
        if self.kind == "result":
            d = self.data
            return f"result {self.key} (visit {d.get('visit')}, {d.get('department')}, version {d.get('version')})"
        return f"{self.kind} {self.key}"

    @staticmethod
    def parse(kind: str, key: str, text: str) -> Leaf:
        """A stored leaf; text that is not a JSON object is kept as ``{"unreadable": text}``."""
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        return Leaf(kind, key, data if isinstance(data, dict) else {"unreadable": text})


def visit_leaf(plan: int, visit: str, **fields: Any) -> Leaf:
    """fields: uscc, district, lead, departments (list), items (list), joint, window_start, window_end (ISO)."""
    return Leaf("visit", visit, {"kind": "visit", "plan": plan, "id": visit, **fields})


def team_leaf(plan: int, visit: str, department: str, officers: Sequence[str], leader: str | None) -> Leaf:
    data = {
        "kind": "team",
        "plan": plan,
        "visit": visit,
        "department": department,
        "officers": sorted(officers),
        "leader": leader,
    }
    return Leaf("team", f"{visit}/{department}", data)


def result_leaf(plan: int, result_id: int, **fields: Any) -> Leaf:
    """fields: visit, department, version, category (code), findings, recorded_by."""
    return Leaf("result", str(result_id), {"kind": "result", "plan": plan, "id": result_id, **fields})


def ordered(leaves: Sequence[Leaf]) -> list[Leaf]:
    """Publication order: visits by id, teams by visit and department, results by visit, department, version."""

    def sort_key(leaf: Leaf) -> tuple[int, str, str, int]:
        d = leaf.data
        if leaf.kind == "result":
            return (2, str(d["visit"]), str(d["department"]), int(d["version"]))
        if leaf.kind == "team":
            return (1, str(d["visit"]), str(d["department"]), 0)
        return (0, leaf.key, "", 0)

    return sorted(leaves, key=sort_key)


def differences(sealed: Sequence[Leaf], current: Sequence[Leaf]) -> list[str]:
    """Each row whose leaf was altered (with the fields), deleted or added since ``sealed``, in tree order."""
    now = {(leaf.kind, leaf.key): leaf for leaf in current}
    then = {(leaf.kind, leaf.key) for leaf in sealed}
    problems: list[str] = []
    for leaf in sealed:
        row = now.get((leaf.kind, leaf.key))
        if row is None:
            problems.append(f"published {leaf.name()} was deleted")
        elif row.text != leaf.text:
            problems.append(f"published {leaf.name()} was altered: {_changed(leaf.data, row.data)}")
    problems += [
        f"{leaf.name()} was added after publication: it is not in the published tree"
        for leaf in ordered(current)
        if (leaf.kind, leaf.key) not in then
    ]
    return problems


def _changed(before: dict[str, Any], after: dict[str, Any]) -> str:
    fields = sorted(set(before) | set(after))
    return ", ".join(
        f"{f} was {_show(before.get(f))}, is {_show(after.get(f))}"
        for f in fields
        if before.get(f) != after.get(f)
    )


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def feed_payload(year: int, quarter: int, visit: Leaf, result: Leaf) -> dict[str, Any]:
    """The credit-feed entry a published result leaf gives (docs/operations.md "Credit feed")."""
    cat = category(str(result.data["category"]))
    return {
        "uscc": visit.data["uscc"],
        "visit": visit.key,
        "year": year,
        "quarter": quarter,
        "department": result.data["department"],
        "category": cat.code,
        "category_zh": cat.label_zh,
        "flags": sorted(f.value for f in cat.flags),
        "findings": result.data["findings"],
        "end_of_check": visit.data.get("window_end"),
    }
