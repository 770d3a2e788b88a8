"""Credit-code check digits for a whole column at once (GB 32100-2015; docs/formats.md "How files are checked").

``canonical_valid(codes)`` answers, per code, whether it is already in canonical form (18 upper-case ASCII
characters, no separators) *and* valid: positions 1–8 digits, positions 9–18 from the 31-character alphabet
(0-9 A-Y without I O S V Z) and the 18th the check character of the first 17. It is exactly
``stdnum.cn.uscc.is_valid(c) and stdnum.cn.uscc.compact(c) == c`` (a hypothesis test keeps it so); codes it
refuses go to the row-by-row reader, which normalises or explains them.

Input: a numpy bytes array (``S18`` or any ``S`` width: codes of another length are refused).
Output: a boolean array of the same length.
"""

from __future__ import annotations

import numpy as np

from spotcheck.domain.uscc import ALPHABET, WEIGHTS

__all__ = ["canonical_valid"]

_NOT_ALLOWED = 255
# byte -> its value in the alphabet, or 255 for a byte that may not appear in a canonical code
_VALUE = np.full(256, _NOT_ALLOWED, dtype=np.uint8)
for _i, _c in enumerate(ALPHABET):
    _VALUE[ord(_c)] = _i
# per position: byte -> value x weight mod 31 (uint16 sums of 17 of them cannot overflow)
_WEIGHTED = np.array([(_VALUE.astype(np.int64) * w % 31).astype(np.uint16) for w in WEIGHTS])


def canonical_valid(codes: np.ndarray) -> np.ndarray:
    """True where the code is canonical and its check character is right (see the module docstring)."""
    given = np.asarray(codes)
    if given.dtype.kind != "S":
        raise TypeError(f"expected a bytes array, got {given.dtype}")
    raw = np.ascontiguousarray(given.astype("S18"))
    grid = raw.view(np.uint8).reshape(len(raw), 18)
    values = _VALUE[grid]
    ok: np.ndarray = np.all(values != _NOT_ALLOWED, axis=1)
    if given.dtype.itemsize != 18:
        ok &= np.char.str_len(given) == 18
    ok &= np.all(values[:, :8] < 10, axis=1)  # positions 1-8: digits only
    total = np.zeros(len(raw), dtype=np.uint16)
    for position in range(17):
        total += _WEIGHTED[position][grid[:, position]]
    ok &= values[:, 17] == (31 - total % 31) % 31
    return ok
