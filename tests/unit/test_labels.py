"""Every code of the model's enums has a Chinese and an English name, so that pages never show a bare code."""

from __future__ import annotations

from enum import StrEnum

import pytest

from spotcheck.domain import labels
from spotcheck.domain.lifecycle import PlanState
from spotcheck.domain.model import EntityKind, Method, Status


@pytest.mark.parametrize(
    ("table", "enum"),
    [
        (labels.KINDS, EntityKind),
        (labels.STATUSES, Status),
        (labels.METHODS, Method),
        (labels.PLAN_STATES, PlanState),
    ],
)
def test_each_code_has_its_names(table: dict[str, tuple[str, str]], enum: type[StrEnum]) -> None:
    assert list(table) == [member.value for member in enum]
    assert all(zh and en for zh, en in table.values())


def test_an_enum_without_names_is_refused() -> None:
    class Unnamed(StrEnum):
        NEW = "new"

    with pytest.raises(LookupError, match="Unnamed new"):
        labels._names_of(Unnamed)


def test_label_shows_both_names_and_falls_back_to_the_code() -> None:
    assert labels.label(labels.KINDS, "enterprise") == "企业 enterprise"
    assert labels.label(labels.KINDS, "unknown") == "unknown"
