"""Officers' lottery numbers for a visit and the integer costs the flow minimises (docs/assign-spec.md §2).

An officer's number for a visit is the first 8 bytes (big-endian) of
SHA-256(seed ‖ "officer" ‖ 0x00 ‖ visit id ‖ 0x00 ‖ officer id), ids in UTF-8. Visit and officer ids never
contain NUL, so the message is unambiguous; the "officer" tag keeps these numbers apart from the firms' ones.
The flow's cost of an officer for a visit is the top 32 bits of the number (COST_SHIFT): the solver scales
costs by its node count internally, and 32 bits keep every sum far inside int64.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

__all__ = ["COST_SHIFT", "TAG", "officer_number", "officer_numbers", "recompute_snippet"]

TAG = b"officer\x00"
COST_SHIFT = 32  # cost = number >> 32, an integer in [0, 2^32)


def officer_number(seed: bytes, visit_id: str, officer_id: str) -> int:
    """The officer's lottery number for the visit (assign-spec §2), an integer in [0, 2^64)."""
    message = seed + TAG + visit_id.encode("utf-8") + b"\x00" + officer_id.encode("utf-8")
    return int.from_bytes(hashlib.sha256(message).digest()[:8], "big")


def officer_numbers(seed: bytes, visit_id: str, officer_ids: Sequence[bytes]) -> np.ndarray:
    """``officer_number`` for each (UTF-8 encoded) officer id, as uint64, in the same order."""
    prefix = hashlib.sha256(seed + TAG + visit_id.encode("utf-8") + b"\x00")
    digests = []
    for oid in officer_ids:  # copying the hashed prefix is the cheapest way to hash many suffixes
        h = prefix.copy()
        h.update(oid)
        digests.append(h.digest())
    # Each digest is 32 bytes; the number is its first 8, big-endian: every 4th 8-byte word.
    return np.frombuffer(b"".join(digests), dtype=">u8")[::4].astype(np.uint64)


def recompute_snippet(seed_hex: str, visit_id: str, officer_id: str) -> str:
    """Standard-library Python an officer (or anyone) can run to recompute a number in the record."""
    return (
        "import hashlib\n"
        f'seed = bytes.fromhex("{seed_hex}")\n'
        f'msg = seed + b"officer\\x00" + "{visit_id}".encode() + b"\\x00" + "{officer_id}".encode()\n'
        'print(int.from_bytes(hashlib.sha256(msg).digest()[:8], "big"))\n'
    )
