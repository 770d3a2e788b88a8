"""What an inspector may attach to a result: photos (JPEG, PNG, HEIC) and PDF documents, recognised by their
first bytes rather than by the name or the type the browser claims (docs/api.md "Inspector", attachments).

Limits are per file and per result version, so that a phone upload over a weak connection stays small and a
reviewer is not handed a whole album: at most ``MAX_FILES`` files of at most ``MAX_BYTES`` each.
"""

from __future__ import annotations

from dataclasses import dataclass

from spotcheck.domain.errors import ValidationError

__all__ = [
    "MAX_BYTES",
    "MAX_FILES",
    "MEDIA_TYPES",
    "SNIFF_BYTES",
    "TOO_MANY",
    "Checked",
    "check_file",
    "sniff",
]

MAX_BYTES = 10 * 1024 * 1024  # per file
MAX_FILES = 5  # per result version
TOO_MANY = f"每份结果最多 {MAX_FILES} 个附件 / at most {MAX_FILES} attachments per result"
SNIFF_BYTES = 16  # enough of the head to recognise every accepted type
MEDIA_TYPES = ("image/jpeg", "image/png", "image/heic", "application/pdf")
# ISO base media brands of HEIF/HEIC stills and sequences, as phones write them (bytes 8..12 after "ftyp").
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})


def sniff(head: bytes) -> str | None:
    """The media type that ``head`` (a file's first bytes) starts, or None when it is none of the accepted."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    return None


@dataclass(frozen=True)
class Checked:
    """A file that passed the checks, with the type its bytes show."""

    filename: str
    media_type: str
    content: bytes


def check_file(filename: str, content: bytes) -> Checked:
    """Refuse an empty, oversized or unrecognised file (ValidationError, saying which limit in Chinese and in
    English: an officer reads it on the result form); else its type."""
    name = (filename or "attachment").replace("\x00", "")[-200:]
    if not content:
        raise ValidationError(f"附件 {name!r} 是空文件 / attachment {name!r} is empty")
    if len(content) > MAX_BYTES:
        mb = MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"附件 {name!r} 超过 {mb} MB / attachment {name!r} is larger than {mb} MB")
    media_type = sniff(content[:SNIFF_BYTES])
    if media_type is None:
        raise ValidationError(
            f"附件 {name!r} 不是 JPEG、PNG、HEIC 照片或 PDF / attachment {name!r} is not a JPEG, PNG, HEIC photo or a PDF"
        )
    return Checked(name, media_type, content)
