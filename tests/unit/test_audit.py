"""The audit chain: any changed, removed, reordered or truncated entry is detected and named."""

from __future__ import annotations

import dataclasses

import pytest

from spotcheck.domain.errors import ValidationError, VerificationError
from spotcheck.evidence.audit import GENESIS, AuditEntry, chain_entry, entry_hash, verify_chain

ACTIONS = ["import", "commit", "freeze", "beacon", "draw", "assign", "result", "review", "publish"]


def log(n: int = len(ACTIONS)) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for i, action in enumerate(ACTIONS[:n]):
        previous = entries[-1] if entries else None
        at = f"2026-01-0{1 + i % 9}T09:00:00+08:00"
        entries.append(
            chain_entry(previous, at=at, action=action, actor="SCJG", payload={"n": i, "名": "张伟"})
        )
    return entries


def test_an_untouched_chain_verifies_and_returns_its_head() -> None:
    entries = log()
    assert entries[0].prev_hash == GENESIS and entries[0].seq == 1
    assert verify_chain(entries) == entries[-1].hash
    assert verify_chain(entries, head=entries[-1].hash) == entries[-1].hash
    assert verify_chain([]) == GENESIS


@pytest.mark.parametrize("index", range(len(ACTIONS)))
def test_any_changed_entry_is_named(index: int) -> None:
    entries = log()
    entries[index] = dataclasses.replace(entries[index], payload={"n": 99})
    with pytest.raises(VerificationError, match=f"seq {index + 1} \\({ACTIONS[index]}\\) was changed"):
        verify_chain(entries)


def test_a_changed_and_rehashed_entry_is_caught_by_the_next_one() -> None:
    entries = log()
    e = dataclasses.replace(entries[3], actor="someone else")
    entries[3] = dataclasses.replace(
        e, hash=entry_hash(e.seq, e.at, e.action, e.actor, e.payload, e.prev_hash)
    )
    with pytest.raises(VerificationError, match="seq 4 was changed"):
        verify_chain(entries)


def test_a_removed_entry_is_named() -> None:
    entries = log()
    del entries[4]
    with pytest.raises(VerificationError, match="has seq 6, expected 5: entries removed"):
        verify_chain(entries)


def test_reordered_entries_are_named() -> None:
    entries = log()
    entries[2], entries[3] = entries[3], entries[2]
    with pytest.raises(VerificationError, match="position 3 has seq 4, expected 3"):
        verify_chain(entries)


def test_a_truncated_tail_is_caught_by_the_published_head() -> None:
    entries = log()
    head = entries[-1].hash
    verify_chain(entries[:-2])  # a shorter chain is still a chain ...
    with pytest.raises(VerificationError, match="not the published head"):
        verify_chain(entries[:-2], head=head)  # ... but not the one published


def test_payloads_are_canonical_and_float_free() -> None:
    with pytest.raises(ValidationError, match="floats"):
        chain_entry(None, at="t", action="draw", actor="SCJG", payload={"share": 0.1})
    a = chain_entry(None, at="t", action="draw", actor="SCJG", payload={"b": 1, "a": [1, 2]})
    b = chain_entry(None, at="t", action="draw", actor="SCJG", payload={"a": (1, 2), "b": 1})
    assert a.hash == b.hash
