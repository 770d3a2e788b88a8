"""The seed ceremony, version 2 (docs/ceremony.md): commitments bound to the quarter and the plan, a system secret.

Version 1 (``spotcheck.evidence.ceremony``) let a department reuse a secret it had revealed before, and the seed
was then computable by anyone once every secret was known. Version 2 closes both holes:

- a commitment binds year, quarter, plan and department (domain-separated)::

      commitment = SHA-256( "spotcheck-commit/2" LF year LF quarter LF plan_digest LF department LF secret )

  with ``plan_digest`` = SHA-256 of the plan's canonical JSON text as stored (docs/ceremony.md §Definitions);
- the system draws its own secret at the freeze and publishes only its commitment::

      system_commitment = SHA-256( "spotcheck-system/2" LF year LF quarter LF plan_digest LF system_secret )

- the seed takes the system secret before the departments' secrets::

      seed = SHA-256( "spotcheck-seed/2" LF snapshot_digest LF beacon LF system_secret LF
                      D1 LF S1 LF ... Dn LF Sn LF )

The system secret is revealed only at publication, so nobody outside can compute the seed earlier, even knowing
every department's secret. The record's seed section keeps ``"kind": "ceremony"`` and names its version in
``"tag": "spotcheck-seed/2"``; ``ceremony.check_seed`` dispatches on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from spotcheck.domain.errors import ValidationError, VerificationError
from spotcheck.evidence.ceremony import SEED_KIND, validate_beacon, validate_department, validate_secret

__all__ = [
    "COMMIT_TAG",
    "SEED_TAG",
    "SYSTEM_TAG",
    "Context",
    "ceremony_seed",
    "commitment",
    "plan_digest",
    "refuse_weak",
    "seed_section",
    "system_commitment",
    "verify_seed",
]

COMMIT_TAG = "spotcheck-commit/2"
SYSTEM_TAG = "spotcheck-system/2"
SEED_TAG = "spotcheck-seed/2"


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hex64(value: str, what: str) -> str:
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ValidationError(f"{what} must be 64 lowercase hexadecimal digits")
    return value


def plan_digest(plan_json: str) -> str:
    """SHA-256 (hex) of the plan's canonical JSON text exactly as stored (UTF-8, no trailing newline)."""
    return _sha256_hex(plan_json)


def refuse_weak(secret: str) -> str:
    """Refuse a secret that is obviously not random: 64 hex digits repeating a unit of 1, 2, 4 or 8 digits
    ("0"×64, "ab"×32, "deadbeef"×8). A random secret does so with probability below 2^-190."""
    validate_secret(secret)
    for period in (1, 2, 4, 8):
        if secret == secret[:period] * (64 // period):
            raise ValidationError(
                f"this secret repeats {secret[:period]!r}: it is not random; let `spotcheck commit` draw one"
            )
    return secret


class Context:
    """What every commitment of one plan binds: year, quarter and the plan's digest."""

    __slots__ = ("plan_digest", "quarter", "year")

    def __init__(self, year: int, quarter: int, plan_digest: str) -> None:
        if not 1 <= quarter <= 4 or year < 1:
            raise ValidationError(f"{year}Q{quarter} is not a quarter")
        self.year, self.quarter, self.plan_digest = year, quarter, _hex64(plan_digest, "a plan digest")

    def _prefix(self, tag: str) -> str:
        return f"{tag}\n{self.year}\n{self.quarter}\n{self.plan_digest}\n"


def commitment(context: Context, department: str, secret: str) -> str:
    """A department's commitment (hex), bound to the plan's year, quarter and digest."""
    body = f"{validate_department(department)}\n{validate_secret(secret)}"
    return _sha256_hex(context._prefix(COMMIT_TAG) + body)


def system_commitment(context: Context, secret: str) -> str:
    """The system secret's commitment (hex), published at the freeze."""
    return _sha256_hex(context._prefix(SYSTEM_TAG) + validate_secret(secret))


def ceremony_seed(snapshot_digest: str, beacon: str, system_secret: str, secrets: Mapping[str, str]) -> str:
    """The draw's seed (hex): snapshot digest, beacon, system secret, then each department's secret in code order."""
    _hex64(snapshot_digest, "a snapshot digest")
    if not secrets:
        raise ValidationError("a ceremony needs at least one department's secret")
    body = "".join(f"{validate_department(d)}\n{validate_secret(secrets[d])}\n" for d in sorted(secrets))
    head = f"{SEED_TAG}\n{snapshot_digest}\n{validate_beacon(beacon)}\n{validate_secret(system_secret)}\n"
    return _sha256_hex(head + body)


def seed_section(
    context: Context,
    snapshot_digest: str,
    beacon: Mapping[str, str],
    system: tuple[str, str],
    commitments: Mapping[str, str],
    secrets: Mapping[str, str],
    *,
    reveal: bool,
) -> dict[str, Any]:
    """The record's ``seed`` section. ``beacon`` holds ``value``, ``source`` and ``date``; ``system`` is
    (commitment, secret). The secrets appear (``system_secret``, ``reveals``) only when ``reveal`` is set."""
    system_commit, system_secret = system
    if sorted(commitments) != sorted(secrets):
        raise ValidationError("secrets and commitments must come from the same departments")
    if system_commitment(context, system_secret) != system_commit:
        raise VerificationError("the system secret does not match its commitment")
    for department in sorted(secrets):
        if commitment(context, department, secrets[department]) != commitments[department]:
            raise VerificationError(f"{department}: the secret does not match its commitment")
    section: dict[str, Any] = {
        "kind": SEED_KIND,
        "tag": SEED_TAG,
        "value": ceremony_seed(snapshot_digest, beacon["value"], system_secret, secrets),
        "snapshot_digest": snapshot_digest,
        "year": context.year,
        "quarter": context.quarter,
        "plan_digest": context.plan_digest,
        "beacon": beacon["value"],
        "beacon_source": beacon["source"],
        "beacon_date": beacon["date"],
        "system_commitment": system_commit,
        "commitments": {d: commitments[d] for d in sorted(commitments)},
    }
    if reveal:
        section["system_secret"] = system_secret
        section["reveals"] = {d: secrets[d] for d in sorted(secrets)}
    return section


_FIELDS = ("value", "snapshot_digest", "year", "quarter", "plan_digest", "beacon", "system_commitment")


def verify_seed(section: Mapping[str, Any]) -> None:
    """Check a v2 seed section: the system secret against its commitment, each department's reveal against its
    commitment, then the seed. Raises ``VerificationError`` naming the first problem."""
    for key in (*_FIELDS, "commitments"):
        if key not in section:
            raise VerificationError(f"the ceremony seed ({SEED_TAG}) has no {key!r}")
    if "system_secret" not in section or not isinstance(section.get("reveals"), dict):
        raise VerificationError("the ceremony's secrets are not revealed yet: the seed cannot be checked")
    commitments, reveals = section["commitments"], section["reveals"]
    if not isinstance(commitments, dict) or not commitments:
        raise VerificationError("the ceremony seed has no commitments")
    if sorted(commitments) != sorted(reveals):
        missing = sorted(set(commitments) ^ set(reveals))
        raise VerificationError(f"reveals and commitments differ for {', '.join(missing)}")
    try:
        context = Context(int(section["year"]), int(section["quarter"]), str(section["plan_digest"]))
        if system_commitment(context, str(section["system_secret"])) != section["system_commitment"]:
            raise VerificationError("the system secret does not match its commitment")
        for department in sorted(commitments):
            if commitment(context, department, str(reveals[department])) != commitments[department]:
                raise VerificationError(f"{department}: revealed secret does not match its commitment")
        expected = ceremony_seed(
            str(section["snapshot_digest"]), str(section["beacon"]), str(section["system_secret"]), reveals
        )
    except ValidationError as exc:
        raise VerificationError(f"the ceremony's inputs are malformed ({exc})") from exc
    if str(section["value"]).lower() != expected:
        raise VerificationError(f"the seed {section['value']} is not the ceremony's seed {expected}")
