"""Unified Social Credit Codes for millions of firms at once (GB 32100-2015), numpy-vectorised.

Layout: position 1 registering authority (9, market regulation), 2 category (1 enterprise, 2 individual
business, 3 co-operative), 3–8 the GB/T 2260 division, 9–17 the body, 18 the check character.

Bodies are unique by construction, not by retrying: firm number ``i`` (0-based over the whole city) is
mapped by an affine bijection ``(a·i + b) mod M`` into a space much larger than any city, so two firms
never share a body. Firms registered before the 2015 reform keep an old 9-character organisation code
(8 digits + the GB 11714 check character); later ones get the ``MA`` + 7-character form used since.
"""

from __future__ import annotations

import numpy as np

from spotcheck.domain.uscc import ALPHABET, WEIGHTS

__all__ = ["ALPHABET_BYTES", "Permutation", "credit_codes"]

ALPHABET_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
_WEIGHTS = np.asarray(WEIGHTS, dtype=np.int64)
_ORG_WEIGHTS = np.asarray((3, 7, 9, 10, 5, 8, 4, 2), dtype=np.int64)  # GB 11714-1997
_NEW_SPACE = 31**7
_OLD_SPACE = 10**8
_M = ALPHABET.index("M")


class Permutation:
    """Affine bijection of [0, modulus): x → (a·x + b) mod modulus with gcd(a, modulus) = 1."""

    def __init__(self, rng: np.random.Generator, modulus: int) -> None:
        self.modulus = modulus
        while True:
            a = int(rng.integers(modulus // 3, modulus))
            if np.gcd(a, modulus) == 1:
                break
        self.a = a
        self.b = int(rng.integers(0, modulus))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        # Split a into 2^16-limbs so that a·x never overflows int64 (x < 2^31, modulus < 2^35).
        x = x.astype(np.int64)
        high, low = divmod(self.a, 1 << 16)
        product = ((high * x) % self.modulus * (1 << 16) + low * x) % self.modulus
        mapped: np.ndarray = (product + self.b) % self.modulus
        return mapped


def _digits(values: np.ndarray, base: int, width: int) -> np.ndarray:
    """(n, width) digits of ``values`` in ``base``, most significant first."""
    out = np.empty((values.size, width), dtype=np.int64)
    rest = values.astype(np.int64)
    for column in range(width - 1, -1, -1):
        rest, out[:, column] = np.divmod(rest, base)
    return out


def _bodies(index: np.ndarray, old_style: np.ndarray, new: Permutation, old: Permutation) -> np.ndarray:
    """(n, 9) alphabet values of each firm's body (positions 9–17)."""
    body = np.empty((index.size, 9), dtype=np.int64)
    body[:, 0] = _M
    body[:, 1] = ALPHABET.index("A")
    body[:, 2:] = _digits(new(index), 31, 7)
    if old_style.any():
        digits = _digits(old(index[old_style]), 10, 8)
        check = 11 - (digits @ _ORG_WEIGHTS) % 11  # 10 is written X, 11 is written 0
        check_values = np.where(check == 10, ALPHABET.index("X"), np.where(check == 11, 0, check))
        body[old_style, :8] = digits
        body[old_style, 8] = check_values
    return body


def credit_codes(
    index: np.ndarray,
    kind_digit: np.ndarray,
    district: np.ndarray,
    old_style: np.ndarray,
    new: Permutation,
    old: Permutation,
) -> list[str]:
    """Valid, unique 18-character codes.

    ``index``: global firm numbers (int, unique); ``kind_digit``: 1/2/3; ``district``: six-digit division
    codes as ints; ``old_style``: bool, pre-2015 organisation-code body. All arrays have shape (n,).
    """
    n = index.size
    values = np.empty((n, 17), dtype=np.int64)
    values[:, 0] = 9
    values[:, 1] = kind_digit
    values[:, 2:8] = _digits(district, 10, 6)
    values[:, 8:] = _bodies(index, old_style, new, old)
    check = (31 - (values @ _WEIGHTS) % 31) % 31
    chars = np.empty((n, 18), dtype=np.uint8)
    chars[:, :17] = ALPHABET_BYTES[values]
    chars[:, 17] = ALPHABET_BYTES[check]
    return chars.view("S18").ravel().astype("U18").tolist()
