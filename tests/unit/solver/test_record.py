from __future__ import annotations

from pathlib import Path

import pytest

from spotcheck.domain.errors import ValidationError
from spotcheck.solver.draw.record import RECORD_FORMAT, dump_record, load_record, target_part, visits_of

VISIT = {
    "id": "2026Q1-91350200776049653A",
    "uscc": "91350200776049653A",
    "district": "350200",
    "lead": "SCJG",
    "departments": ["SCJG", "XF"],
    "items": ["SCJG-A07", "XF-01"],
    "joint": True,
    "officers": [{"department": "SCJG", "officer": "S1", "leader": True}],
}


def test_floats_are_refused_with_their_path() -> None:
    with pytest.raises(TypeError, match=r"record\.summary\.share"):
        dump_record({"format": RECORD_FORMAT, "summary": {"share": 0.1}})


def test_numbers_inside_strings_are_not_floats() -> None:
    assert dump_record({"ratio": "0.05", "note": 'say "1e5"'}) == b'{"note":"say \\"1e5\\"","ratio":"0.05"}\n'


def test_load_refuses_other_documents_and_floats(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ValidationError, match="not a draw record"):
        load_record(path)
    path.write_text(f'{{"format": "{RECORD_FORMAT}", "x": 1.5}}', encoding="utf-8")
    with pytest.raises(ValidationError, match="floats"):
        load_record(path)


def test_visits_of_and_target_part() -> None:
    record = {"format": RECORD_FORMAT, "visits": [VISIT], "assignment": {"officers": 2}}
    (visit,) = visits_of(record)
    assert visit.joint and visit.departments == ("SCJG", "XF")
    assert target_part(record) == {
        "format": RECORD_FORMAT,
        "visits": [{k: v for k, v in VISIT.items() if k != "officers"}],
    }
    with pytest.raises(ValidationError, match="malformed visit"):
        visits_of({"visits": [{"id": "x"}]})
