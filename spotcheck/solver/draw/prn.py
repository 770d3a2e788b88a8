"""Lottery numbers (permanent random numbers) from the seed and a credit code (docs/draw-spec.md §2).

The definition is the standard-library one, ``lottery_number``; ``lottery_numbers`` computes the same values for
millions of firms at once (one SHA-256 per firm, then a single byte-to-integer conversion in numpy).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from spotcheck.domain.errors import ValidationError

__all__ = [
    "MODULUS",
    "lottery_number",
    "lottery_numbers",
    "parse_seed",
    "position",
    "recompute_snippet",
    "threshold",
]

MODULUS = 1 << 64  # lottery numbers are integers in [0, 2^64); u / 2^64 is uniform on [0, 1)
_CHUNK = 1 << 18


def parse_seed(text: str) -> bytes:
    """The seed's bytes from its hex form (case-insensitive, at least 16 bytes); ValidationError otherwise."""
    clean = text.strip().lower()
    try:
        raw = bytes.fromhex(clean)
    except ValueError as exc:
        raise ValidationError(f"seed {text!r} is not hexadecimal") from exc
    if len(raw) < 16:
        raise ValidationError(f"seed must have at least 16 bytes (32 hex digits), got {len(raw)}")
    return raw


def lottery_number(seed: bytes, uscc: str) -> int:
    """A firm's lottery number (draw-spec §2): first 8 bytes of SHA-256(seed ‖ USCC), big-endian."""
    return int.from_bytes(hashlib.sha256(seed + uscc.encode("ascii")).digest()[:8], "big")


def lottery_numbers(
    seed: bytes, codes: np.ndarray, progress: Callable[[int, int], None] | None = None
) -> np.ndarray:
    """``lottery_number`` for every code of an ``S18`` array, as uint64, in the same order."""
    out = np.empty(len(codes), dtype=np.uint64)
    sha = hashlib.sha256
    for start in range(0, len(codes), _CHUNK):
        part = codes[start : start + _CHUNK].tolist()
        digest = b"".join([sha(seed + code).digest()[:8] for code in part])
        out[start : start + len(part)] = np.frombuffer(digest, dtype=">u8")
        if progress is not None:
            progress(start + len(part), len(codes))
    return out


def threshold(ratio: Fraction) -> int:
    """The interval length for a ratio (draw-spec §3): ⌊ratio · 2^64⌋, so P(drawn) = threshold / 2^64."""
    if not 0 <= ratio <= 1:
        raise ValidationError(f"ratio {ratio} is outside [0, 1]")
    return ratio.numerator * MODULUS // ratio.denominator


def position(lottery: int, offset: int) -> int:
    """Where a number falls on a task's circle: (lottery − offset) mod 2^64; drawn iff below the threshold."""
    return (lottery - offset) % MODULUS


def recompute_snippet(seed_hex: str, uscc: str) -> str:
    """A few lines of standard-library Python anyone can run to recompute a firm's lottery number."""
    return (
        "import hashlib\n"
        f'seed = bytes.fromhex("{seed_hex}")\n'
        f'code = "{uscc}"\n'
        'u = int.from_bytes(hashlib.sha256(seed + code.encode("ascii")).digest()[:8], "big")\n'
        "print(u, u / 2**64)\n"
    )
