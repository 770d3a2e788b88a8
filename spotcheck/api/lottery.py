"""A firm's own lottery number, explained: the public check that needs nothing but the seed and the code.

The number itself is ``spotcheck.solver.draw.prn.lottery_number`` (docs/draw-spec.md §2); this module only shapes the
answer a firm reads: the integer, u as an exact fraction and as a rounded decimal for display, and the few
lines of standard-library Python that recompute it.
"""

from __future__ import annotations

from fractions import Fraction

from pydantic import BaseModel

from spotcheck.domain.uscc import normalise
from spotcheck.solver.draw.prn import MODULUS, lottery_number, parse_seed, recompute_snippet

__all__ = ["EXPLANATION", "LotteryPublic", "explain_lottery"]

EXPLANATION = (
    "每家企业的抽签号 u = SHA-256(种子字节 ‖ 统一社会信用代码 ASCII) 的前 8 个字节（大端整数）÷ 2^64。"
    " Each firm's lottery number u is the first 8 bytes of SHA-256(seed bytes followed by the credit code in ASCII),"
    " read as a big-endian integer, divided by 2^64. A firm is drawn for a task when its number, shifted by the"
    " task's published offset, falls below the task's ratio for the firm's risk tier; the seed is published with"
    " the results, so anyone can recompute every number."
)


class LotteryPublic(BaseModel):
    uscc: str
    seed: str  # hex, as published
    number: str  # the 64-bit integer, as a decimal string (JSON numbers lose precision past 2^53)
    u: str  # exact: "number/18446744073709551616"
    u_decimal: str  # rounded to 12 places, for display only
    python: str  # standard-library code that prints the same number
    explanation: str = EXPLANATION


def explain_lottery(seed_hex: str, uscc: str) -> LotteryPublic:
    """The lottery number of ``uscc`` under ``seed_hex``; ValidationError for a bad seed or code."""
    seed = parse_seed(seed_hex)
    code, _ = normalise(uscc)
    number = lottery_number(seed, code)
    exact = Fraction(number, MODULUS)
    # Display rounding only; nothing is decided on it.
    scaled = exact.numerator * 10**12 // exact.denominator
    return LotteryPublic(
        uscc=code,
        seed=seed.hex(),
        number=str(number),
        u=f"{number}/{MODULUS}",
        u_decimal=f"0.{scaled:012d}",
        python=recompute_snippet(seed.hex(), code),
    )
