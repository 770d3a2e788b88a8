"""Chinese names and addresses for a chunk of synthetic firms (see words.py for the patterns).

Inputs are integer arrays already drawn by the caller; this module only turns them into strings, so all the
randomness stays in one place (firms.py).
"""

from __future__ import annotations

import numpy as np

from spotcheck.synth import words
from spotcheck.synth.composition import SECTIONS
from spotcheck.synth.geography import AREAS, CITY_NAME, PROVINCE_NAME, ROADS
from spotcheck.synth.rng import weighted

__all__ = ["addresses", "firm_names", "people"]

_PREFIXES = ("临沂", "临沂市", "山东")  # or the district's own name, index 3
_PREFIX_WEIGHTS = (50, 15, 15, 20)


def people(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` personal names: a weighted surname and one or two given-name characters."""
    surname = weighted(rng, words.SURNAME_WEIGHTS, n)
    first = rng.integers(0, len(words.GIVEN), n)
    second = rng.integers(0, len(words.GIVEN) * 5 // 3, n)  # past the end: a one-character given name
    given = words.GIVEN
    return [
        words.SURNAMES[s] + given[a] + (given[b] if b < len(given) else "")
        for s, a, b in zip(surname.tolist(), first.tolist(), second.tolist(), strict=True)
    ]


def firm_names(
    rng: np.random.Generator, kind: np.ndarray, area: np.ndarray, section: np.ndarray, reps: list[str]
) -> list[str]:
    """Names by kind (0 enterprise, 1 individual, 2 co-operative), per area index and section index."""
    n = kind.size
    trade = rng.integers(0, len(words.TRADE), (n, 2)).tolist()
    pick = rng.integers(0, 1 << 30, n).tolist()
    prefix = weighted(rng, _PREFIX_WEIGHTS, n).tolist()
    form = weighted(rng, words.FORM_WEIGHTS, n).tolist()
    own = (rng.integers(0, 10, n) == 0).tolist()  # one shop in ten is named after its owner
    t = words.TRADE
    out: list[str] = []
    for k, a, s, (t1, t2), p, pre, f, o, rep in zip(
        kind.tolist(), area.tolist(), section.tolist(), trade, pick, prefix, form, own, reps, strict=True
    ):
        district = AREAS[a].name
        letter = SECTIONS[s]
        if k == 0:
            choices = words.ENTERPRISE_WORDS[letter]
            head = district if pre == 3 else _PREFIXES[pre]
            out.append(f"{head}{t[t1]}{t[t2]}{choices[p % len(choices)]}{words.FORMS[f]}")
        elif k == 1:
            shops = words.SHOP_WORDS[letter]
            trade_name = rep if o else t[t1] + t[t2]
            out.append(f"{CITY_NAME}{district}{trade_name}{shops[p % len(shops)]}")
        else:
            coop = words.COOP_WORDS[p % len(words.COOP_WORDS)]
            out.append(f"{district}{t[t1]}{t[t2]}{coop}专业合作社")
    return out


def addresses(rng: np.random.Generator, area: np.ndarray) -> list[str]:
    """Registered addresses (住所) inside each firm's district."""
    n = area.size
    town = rng.integers(0, 1 << 30, n).tolist()
    road = rng.integers(0, len(ROADS), n).tolist()
    number = rng.integers(1, 1000, n).tolist()
    out: list[str] = []
    for a, tw, r, num in zip(area.tolist(), town, road, number, strict=True):
        place = AREAS[a]
        out.append(
            f"{PROVINCE_NAME}{CITY_NAME}{place.name}{place.towns[tw % len(place.towns)]}{ROADS[r]}{num}号"
        )
    return out
