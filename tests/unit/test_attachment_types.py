"""An attachment's type is what its first bytes show, not its name; empty and oversized files are refused."""

from __future__ import annotations

import pytest

from spotcheck.domain.attachments import MAX_BYTES, check_file, sniff
from spotcheck.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\xff\xd8\xff\xe1\x00\x10Exif", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"%PDF-1.4\n", "application/pdf"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00", "image/heic"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00", None),  # an MP4 video
        (b"GIF89a\x01\x00", None),
        (b"<svg xmlns=", None),
        (b"\xff\xd8", None),  # too short to be a JPEG
        (b"", None),
    ],
)
def test_sniff_reads_the_first_bytes(head: bytes, media_type: str | None) -> None:
    assert sniff(head) == media_type


def test_check_file_keeps_the_name_and_the_sniffed_type() -> None:
    checked = check_file("现场.JPG", b"%PDF-1.7 a pdf named like a photo")
    assert checked.media_type == "application/pdf" and checked.filename == "现场.JPG"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\xff\xd8\xff" + b"\x00" * MAX_BYTES, "larger than 10 MB"),
        (b"MZ\x90\x00 an executable", "not a JPEG, PNG, HEIC photo or a PDF"),
    ],
)
def test_check_file_refuses(content: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_file("x.jpg", content)


def test_a_nameless_file_is_named_and_a_nul_is_dropped() -> None:
    assert check_file("", b"%PDF-").filename == "attachment"
    assert check_file("a\x00b.pdf", b"%PDF-").filename == "ab.pdf"
