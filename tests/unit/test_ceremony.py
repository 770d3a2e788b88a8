"""The seed ceremony: commitments bind secrets, the seed needs every secret and the beacon, check_seed catches lies."""

from __future__ import annotations

import hashlib

import pytest

from spotcheck.domain.errors import ValidationError, VerificationError
from spotcheck.evidence.ceremony import (
    ceremony_seed,
    check_reveal,
    check_seed,
    commitment,
    missing_reveals,
    seed_section,
)

DIGEST = hashlib.sha256(b"snapshot").hexdigest()
SECRETS = {"XF": "22" * 32, "SCJG": "11" * 32}
BEACON = "体彩大乐透 26001: 03 11 19 27 33 + 05 09"


def section(reveal: bool = True) -> dict[str, object]:
    commits = {d: commitment(d, s) for d, s in SECRETS.items()}
    return seed_section(DIGEST, BEACON, commits, SECRETS, reveal=reveal)


def test_commitment_and_seed_follow_the_published_definition() -> None:
    assert (
        commitment("SCJG", "11" * 32)
        == hashlib.sha256(f"spotcheck-commit/1\nSCJG\n{'11' * 32}".encode()).hexdigest()
    )
    text = f"spotcheck-seed/1\n{DIGEST}\n{BEACON}\nSCJG\n{'11' * 32}\nXF\n{'22' * 32}\n"
    assert ceremony_seed(DIGEST, BEACON, SECRETS) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_seed_depends_on_every_input_but_not_on_dict_order() -> None:
    base = ceremony_seed(DIGEST, BEACON, SECRETS)
    assert ceremony_seed(DIGEST, BEACON, dict(reversed(SECRETS.items()))) == base
    assert ceremony_seed(DIGEST, BEACON + "1", SECRETS) != base
    assert ceremony_seed(hashlib.sha256(b"other").hexdigest(), BEACON, SECRETS) != base
    assert ceremony_seed(DIGEST, BEACON, {**SECRETS, "XF": "23" * 32}) != base


def test_weak_or_malformed_inputs_are_refused() -> None:
    with pytest.raises(ValidationError, match="64 lowercase"):
        commitment("SCJG", "password")
    with pytest.raises(ValidationError, match="department code"):
        commitment("SC\nJG", "11" * 32)
    with pytest.raises(ValidationError, match="beacon"):
        ceremony_seed(DIGEST, " spaced ", SECRETS)
    with pytest.raises(ValidationError, match="beacon"):
        ceremony_seed(DIGEST, "two\nlines", SECRETS)
    with pytest.raises(ValidationError, match="at least one"):
        ceremony_seed(DIGEST, BEACON, {})


def test_a_reveal_must_match_its_commitment() -> None:
    committed = commitment("XF", SECRETS["XF"])
    check_reveal("XF", SECRETS["XF"], committed)
    with pytest.raises(VerificationError, match="XF: revealed secret does not match"):
        check_reveal("XF", "33" * 32, committed)
    with pytest.raises(VerificationError, match="malformed"):
        check_reveal("XF", "zz", committed)


def test_check_seed_accepts_an_honest_ceremony() -> None:
    check_seed(section())


def test_secrets_stay_out_of_the_section_until_revealed() -> None:
    hidden = section(reveal=False)
    assert "reveals" not in hidden and hidden["value"] == section()["value"]
    assert all(s not in str(hidden) for s in SECRETS.values())
    with pytest.raises(VerificationError, match="not revealed yet"):
        check_seed(hidden)


@pytest.mark.parametrize(
    ("field", "change", "message"),
    [
        (
            "value",
            lambda s: s["value"].replace(s["value"][0], "f" if s["value"][0] != "f" else "e", 1),
            "is not",
        ),
        ("beacon", lambda s: "another beacon", "is not the ceremony's seed"),
        ("reveals", lambda s: {**s["reveals"], "XF": "44" * 32}, "XF: revealed secret does not match"),
        ("reveals", lambda s: {"SCJG": s["reveals"]["SCJG"]}, "no reveal from XF"),
        ("reveals", lambda s: {**s["reveals"], "WJ": "55" * 32}, "without a commitment"),
        ("commitments", lambda s: {**s["commitments"], "SCJG": "0" * 64}, "SCJG"),
        ("kind", lambda s: "simulation", "not a ceremony seed"),
    ],
)
def test_check_seed_catches_each_lie(field: str, change: object, message: str) -> None:
    tampered = section()
    tampered[field] = change(tampered)  # type: ignore[operator]
    with pytest.raises(VerificationError, match=message):
        check_seed(tampered)


def test_missing_reveals_are_listed_in_code_order() -> None:
    assert missing_reveals({"XF": "h", "SCJG": "h", "WJ": "h"}, {"SCJG": "s"}) == ["WJ", "XF"]
