"""Ceremony v2 (docs/ceremony.md): commitments bind year, quarter, plan and department; the seed needs the system
secret; verify checks v2 sections and still checks v1 ones; weak secrets are refused."""

from __future__ import annotations

import hashlib

import pytest

from spotcheck.domain.errors import ValidationError, VerificationError
from spotcheck.evidence import ceremony_v2 as v2
from spotcheck.evidence.ceremony import check_seed

DIGEST = hashlib.sha256(b"snapshot").hexdigest()
PLAN = v2.plan_digest('{"quarter":1,"year":2026}')
CONTEXT = v2.Context(2026, 1, PLAN)
SECRETS = {"XF": hashlib.sha256(b"xf").hexdigest(), "SCJG": hashlib.sha256(b"scjg").hexdigest()}
SYSTEM = hashlib.sha256(b"system").hexdigest()
BEACON = {"value": "03 11 19 27 33 + 05", "source": "双色球 第2026001期", "date": "2026-01-02"}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def section(reveal: bool = True) -> dict[str, object]:
    commits = {d: v2.commitment(CONTEXT, d, s) for d, s in SECRETS.items()}
    system = (v2.system_commitment(CONTEXT, SYSTEM), SYSTEM)
    return v2.seed_section(CONTEXT, DIGEST, BEACON, system, commits, SECRETS, reveal=reveal)


def test_the_formulas_are_the_published_ones() -> None:
    assert PLAN == sha('{"quarter":1,"year":2026}')
    scjg = SECRETS["SCJG"]
    assert v2.commitment(CONTEXT, "SCJG", scjg) == sha(f"spotcheck-commit/2\n2026\n1\n{PLAN}\nSCJG\n{scjg}")
    assert v2.system_commitment(CONTEXT, SYSTEM) == sha(f"spotcheck-system/2\n2026\n1\n{PLAN}\n{SYSTEM}")
    body = f"SCJG\n{scjg}\nXF\n{SECRETS['XF']}\n"
    expected = sha(f"spotcheck-seed/2\n{DIGEST}\n{BEACON['value']}\n{SYSTEM}\n{body}")
    assert v2.ceremony_seed(DIGEST, BEACON["value"], SYSTEM, SECRETS) == expected


def test_a_commitment_changes_with_quarter_plan_and_department() -> None:
    base = v2.commitment(CONTEXT, "XF", SECRETS["XF"])
    assert v2.commitment(v2.Context(2026, 2, PLAN), "XF", SECRETS["XF"]) != base
    assert v2.commitment(v2.Context(2026, 1, sha("other plan")), "XF", SECRETS["XF"]) != base
    assert v2.commitment(CONTEXT, "SCJG", SECRETS["XF"]) != base


def test_the_seed_needs_the_system_secret() -> None:
    without = sha(f"spotcheck-seed/2\n{DIGEST}\n{BEACON['value']}\n" + "".join(
        f"{d}\n{SECRETS[d]}\n" for d in sorted(SECRETS)
    ))  # fmt: skip
    assert section()["value"] != without
    other = hashlib.sha256(b"another system secret").hexdigest()
    assert v2.ceremony_seed(DIGEST, BEACON["value"], other, SECRETS) != section()["value"]


def test_verify_checks_v2_and_v1_sections() -> None:
    check_seed(section())
    sealed = section(reveal=False)
    assert "system_secret" not in sealed and "reveals" not in sealed
    with pytest.raises(VerificationError, match="not revealed yet"):
        check_seed(sealed)
    with pytest.raises(VerificationError, match="system secret does not match"):
        check_seed({**section(), "system_secret": SECRETS["XF"]})
    lie = {**section(), "reveals": {**SECRETS, "XF": SYSTEM}}
    with pytest.raises(VerificationError, match="XF: revealed secret does not match"):
        check_seed(lie)
    with pytest.raises(VerificationError, match="is not the ceremony's seed"):
        check_seed({**section(), "value": "00" * 32})
    with pytest.raises(VerificationError, match="differ for XF"):
        check_seed({**section(), "reveals": {"SCJG": SECRETS["SCJG"]}})
    with pytest.raises(VerificationError, match="has no 'plan_digest'"):
        check_seed({k: v for k, v in section().items() if k != "plan_digest"})
    with pytest.raises(VerificationError, match="malformed"):
        check_seed({**section(), "quarter": 7})
    with pytest.raises(VerificationError, match="no commitments"):
        check_seed({**section(), "commitments": {}})
    with pytest.raises(VerificationError, match="'spotcheck-seed/9' is not one this verifier knows"):
        check_seed({**section(), "tag": "spotcheck-seed/9"})


def test_seed_section_refuses_secrets_that_do_not_match() -> None:
    commits = {d: v2.commitment(CONTEXT, d, s) for d, s in SECRETS.items()}
    system = (v2.system_commitment(CONTEXT, SYSTEM), SYSTEM)
    with pytest.raises(ValidationError, match="same departments"):
        v2.seed_section(CONTEXT, DIGEST, BEACON, system, commits, {"XF": SECRETS["XF"]}, reveal=False)
    with pytest.raises(VerificationError, match="XF: the secret does not match"):
        v2.seed_section(CONTEXT, DIGEST, BEACON, system, commits, {**SECRETS, "XF": SYSTEM}, reveal=False)
    with pytest.raises(VerificationError, match="system secret"):
        v2.seed_section(CONTEXT, DIGEST, BEACON, (system[0], SECRETS["XF"]), commits, SECRETS, reveal=False)
    with pytest.raises(ValidationError, match="at least one"):
        v2.ceremony_seed(DIGEST, BEACON["value"], SYSTEM, {})
    with pytest.raises(ValidationError, match="snapshot digest"):
        v2.ceremony_seed("x", BEACON["value"], SYSTEM, SECRETS)


@pytest.mark.parametrize("weak", ["0" * 64, "ab" * 32, "dead" * 16, "deadbeef" * 8])
def test_obviously_patterned_secrets_are_refused(weak: str) -> None:
    with pytest.raises(ValidationError, match="not random"):
        v2.refuse_weak(weak)
    assert v2.refuse_weak(SYSTEM) == SYSTEM


def test_a_context_is_a_real_quarter() -> None:
    with pytest.raises(ValidationError, match="not a quarter"):
        v2.Context(2026, 5, PLAN)
    with pytest.raises(ValidationError, match="plan digest"):
        v2.Context(2026, 1, "PLAN")
