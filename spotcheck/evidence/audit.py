"""The audit log as a hash chain (docs/ceremony.md "Audit chain").

Each entry is ``seq`` (1, 2, …), ``at`` (ISO time given by the caller), ``action``, ``actor``, ``payload`` (a JSON
object) and ``prev_hash`` (the previous entry's ``hash``; 64 zeros for the first). Its hash is::

    hash = SHA-256( canonical JSON of {"action", "actor", "at", "payload", "prev_hash", "seq"} )

with canonical JSON = sorted keys, no spaces, UTF-8 (``ensure_ascii=False``), no floats. Changing, removing or
reordering any entry breaks the chain at that entry; the head (last hash) is published with each publication, so
cutting entries off the end is caught too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spotcheck.domain.errors import ValidationError, VerificationError
from spotcheck.evidence.canonical import canonical_json

__all__ = ["GENESIS", "AuditEntry", "chain_entry", "entry_hash", "verify_chain"]

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    action: str
    actor: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        """What the hash covers: everything but the hash."""
        return {
            "seq": self.seq,
            "at": self.at,
            "action": self.action,
            "actor": self.actor,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
        }


def entry_hash(seq: int, at: str, action: str, actor: str, payload: Mapping[str, Any], prev_hash: str) -> str:
    body = {
        "seq": seq,
        "at": at,
        "action": action,
        "actor": actor,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def chain_entry(
    previous: AuditEntry | None, *, at: str, action: str, actor: str, payload: Mapping[str, Any]
) -> AuditEntry:
    """The entry that follows ``previous`` (``None`` for the first entry of a log)."""
    if not action or not actor:
        raise ValidationError("an audit entry needs an action and an actor")
    seq = 1 if previous is None else previous.seq + 1
    prev = GENESIS if previous is None else previous.hash
    clean = json.loads(canonical_json(dict(payload)))  # a plain, JSON-round-tripped copy
    return AuditEntry(seq, at, action, actor, clean, prev, entry_hash(seq, at, action, actor, clean, prev))


def verify_chain(entries: Iterable[AuditEntry], *, head: str | None = None) -> str:
    """Check the chain in the given order and return its head hash.

    Raises ``VerificationError`` naming the first entry that was changed, removed, inserted or moved, or a head
    that differs from the published ``head`` (entries cut off the end).
    """
    expected_prev, expected_seq = GENESIS, 1
    for position, entry in enumerate(_as_list(entries), start=1):
        if entry.seq != expected_seq:
            kind = "removed" if entry.seq > expected_seq else "reordered or duplicated"
            raise VerificationError(
                f"audit entry at position {position} has seq {entry.seq}, expected {expected_seq}: "
                f"entries {kind} before seq {entry.seq}"
            )
        recomputed = entry_hash(
            entry.seq, entry.at, entry.action, entry.actor, entry.payload, entry.prev_hash
        )
        if recomputed != entry.hash:
            raise VerificationError(
                f"audit entry seq {entry.seq} ({entry.action}) was changed: its hash differs"
            )
        if entry.prev_hash != expected_prev:
            raise VerificationError(
                f"audit entry seq {entry.seq - 1} was changed (rehashed): seq {entry.seq} ({entry.action}) "
                "no longer chains to it"
            )
        expected_prev, expected_seq = entry.hash, expected_seq + 1
    if head is not None and head != expected_prev:
        raise VerificationError(
            f"audit head {expected_prev} after seq {expected_seq - 1} is not the published head {head}: "
            "entries were removed from the end or the head is wrong"
        )
    return expected_prev


def _as_list(entries: Iterable[AuditEntry]) -> Sequence[AuditEntry]:
    return entries if isinstance(entries, Sequence) else list(entries)
