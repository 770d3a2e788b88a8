"""The seed ceremony, version 1: commit–reveal among departments plus a public beacon (docs/ceremony.md).

Kept so that records drawn under version 1 keep verifying; new plans use ``ceremony_v2``.

1. Before the freeze, each participating department picks a secret (32 random bytes, written as 64 lowercase hex
   digits) and publishes only its commitment::

       commitment = SHA-256( UTF-8( "spotcheck-commit/1" LF department LF secret ) )        (hex)

2. After the freeze (snapshot digest published) a public beacon value nobody here controls is entered.
3. The seed is::

       seed = SHA-256( UTF-8( "spotcheck-seed/1" LF snapshot_digest LF beacon LF
                              department_1 LF secret_1 LF ... department_n LF secret_n LF ) )   (hex)

   departments in ascending code order (byte order of their ASCII codes), LF = one "\\n" byte.
4. At publication the secrets are revealed; anyone checks each against its commitment and recomputes the seed.

No department can choose the seed (it commits before seeing the beacon or the others' secrets), the beacon is
outside everyone's control, and the snapshot is fixed before the beacon exists.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from spotcheck.domain.errors import ValidationError, VerificationError

__all__ = [
    "COMMIT_TAG",
    "SEED_KIND",
    "SEED_TAG",
    "ceremony_seed",
    "check_reveal",
    "check_reveals",
    "check_seed",
    "commitment",
    "missing_reveals",
    "seed_section",
    "unmatched",
    "validate_beacon",
    "validate_department",
    "validate_secret",
]

COMMIT_TAG = "spotcheck-commit/1"
SEED_TAG = "spotcheck-seed/1"
SEED_KIND = "ceremony"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DEPARTMENT = re.compile(r"[A-Za-z0-9_-]{1,32}")


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate_secret(secret: str) -> str:
    """A secret is exactly 64 lowercase hex digits (32 bytes): short secrets could be guessed from the hash."""
    if not _HEX64.fullmatch(secret):
        raise ValidationError("a ceremony secret must be 64 lowercase hexadecimal digits (32 random bytes)")
    return secret


def validate_beacon(beacon: str) -> str:
    """A beacon is 1–200 printable characters on one line, as published (e.g. a lottery's winning numbers)."""
    if not 1 <= len(beacon) <= 200 or not beacon.isprintable() or beacon != beacon.strip():
        raise ValidationError("a beacon value must be 1–200 printable characters without surrounding spaces")
    return beacon


def validate_department(code: str) -> str:
    if not _DEPARTMENT.fullmatch(code):
        raise ValidationError(f"department code {code!r} is not a plain code (letters, digits, '-', '_')")
    return code


def commitment(department: str, secret: str) -> str:
    """The published hash of a department's secret (hex)."""
    return _sha256_hex(f"{COMMIT_TAG}\n{validate_department(department)}\n{validate_secret(secret)}")


def ceremony_seed(snapshot_digest: str, beacon: str, secrets: Mapping[str, str]) -> str:
    """The draw's seed (hex) from the snapshot digest, the beacon and every department's secret."""
    if not _HEX64.fullmatch(snapshot_digest):
        raise ValidationError("a snapshot digest is 64 lowercase hexadecimal digits")
    if not secrets:
        raise ValidationError("a ceremony needs at least one department's secret")
    body = "".join(f"{validate_department(d)}\n{validate_secret(secrets[d])}\n" for d in sorted(secrets))
    return _sha256_hex(f"{SEED_TAG}\n{snapshot_digest}\n{validate_beacon(beacon)}\n{body}")


def check_reveal(department: str, secret: str, committed: str) -> None:
    """Raise ``VerificationError`` unless ``secret`` is the one ``department`` committed to."""
    try:
        actual = commitment(department, secret)
    except ValidationError as exc:
        raise VerificationError(f"{department}: revealed secret is malformed ({exc})") from exc
    if actual != committed:
        raise VerificationError(f"{department}: revealed secret does not match its commitment {committed}")


def missing_reveals(commitments: Mapping[str, Any], reveals: Mapping[str, Any]) -> list[str]:
    """Departments that committed but have not revealed, in code order."""
    return sorted(set(commitments) - set(reveals))


def unmatched(commitments: Mapping[str, str], reveals: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(departments that committed but did not reveal, departments that revealed without committing), each in
    code order."""
    return missing_reveals(commitments, reveals), sorted(set(reveals) - set(commitments))


def check_reveals(commitments: Mapping[str, Any], reveals: Mapping[str, Any]) -> None:
    """``check_reveal`` for every committed department, in code order (each must have revealed)."""
    for department in sorted(commitments):
        check_reveal(department, str(reveals[department]), str(commitments[department]))


def seed_section(
    snapshot_digest: str,
    beacon: str,
    commitments: Mapping[str, str],
    secrets: Mapping[str, str],
    *,
    reveal: bool,
) -> dict[str, Any]:
    """The record's ``seed`` section; the secrets appear (as ``reveals``) only when ``reveal`` is set."""
    if sorted(commitments) != sorted(secrets):
        raise ValidationError("secrets and commitments must come from the same departments")
    for department in sorted(secrets):
        check_reveal(department, secrets[department], commitments[department])
    section: dict[str, Any] = {
        "kind": SEED_KIND,
        "value": ceremony_seed(snapshot_digest, beacon, secrets),
        "snapshot_digest": snapshot_digest,
        "beacon": beacon,
        "commitments": {d: commitments[d] for d in sorted(commitments)},
    }
    if reveal:
        section["reveals"] = {d: secrets[d] for d in sorted(secrets)}
    return section


def check_seed(record_seed: dict[str, Any]) -> None:
    """Check a record's ceremony seed section: every reveal against its commitment, then the seed itself.

    Raises ``VerificationError`` naming the first problem (missing field, missing or wrong reveal, wrong seed).
    A section tagged ``spotcheck-seed/2`` is checked by ``ceremony_v2.verify_seed``; an unknown tag is refused.
    """
    if not isinstance(record_seed, dict) or record_seed.get("kind") != SEED_KIND:
        raise VerificationError("the record's seed is not a ceremony seed")
    tag = record_seed.get("tag", SEED_TAG)
    if tag != SEED_TAG:
        from spotcheck.evidence import ceremony_v2  # imports this module: loaded on use

        if tag != ceremony_v2.SEED_TAG:
            raise VerificationError(f"the ceremony seed's version {tag!r} is not one this verifier knows")
        ceremony_v2.verify_seed(record_seed)
        return
    for key in ("value", "snapshot_digest", "beacon", "commitments"):
        if key not in record_seed:
            raise VerificationError(f"the ceremony seed has no {key!r}")
    commitments = record_seed["commitments"]
    reveals = record_seed.get("reveals")
    if not isinstance(commitments, dict) or not commitments:
        raise VerificationError("the ceremony seed has no commitments")
    if not isinstance(reveals, dict):
        raise VerificationError("the ceremony's secrets are not revealed yet: the seed cannot be checked")
    missing, extra = unmatched(commitments, reveals)
    if missing:
        raise VerificationError(f"no reveal from {', '.join(missing)}: the seed cannot be checked")
    if extra:
        raise VerificationError(f"reveal from {', '.join(extra)} without a commitment")
    check_reveals(commitments, reveals)
    try:
        expected = ceremony_seed(str(record_seed["snapshot_digest"]), str(record_seed["beacon"]), reveals)
    except ValidationError as exc:
        raise VerificationError(f"the ceremony's inputs are malformed ({exc})") from exc
    if str(record_seed["value"]).lower() != expected:
        raise VerificationError(f"the seed {record_seed['value']} is not the ceremony's seed {expected}")
