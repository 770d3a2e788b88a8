"""Result categories: stable codes, provincial labels, flags; review states move only as allowed."""

from __future__ import annotations

import pytest

from spotcheck.domain.categories import (
    CATEGORIES,
    Flag,
    ReviewAction,
    ReviewState,
    category,
    next_review_state,
)
from spotcheck.domain.errors import InvalidTransition, ValidationError


def test_codes_and_labels_are_unique() -> None:
    assert len({c.code for c in CATEGORIES}) == len(CATEGORIES)
    assert len({c.label_zh for c in CATEGORIES}) == len(CATEGORIES)
    assert all(c.label_en for c in CATEGORIES)


def test_lookup_by_code_or_chinese_label() -> None:
    assert category("unreachable").label_zh == "通过登记的住所（经营场所）无法联系"
    assert category("未发现问题").code == "no_problem"
    with pytest.raises(ValidationError, match="unknown result category"):
        category("fine")


def test_unreachable_firm_is_flagged_for_the_abnormal_list() -> None:
    assert Flag.ABNORMAL_LIST in category("unreachable").flags
    assert Flag.ABNORMAL_LIST in category("info_false").flags
    assert not category("no_problem").flags
    assert Flag.NOT_OPERATING in category("已注销").flags


def test_review_path_to_publication() -> None:
    state = ReviewState.NOT_ENTERED
    for action, expected in [
        (ReviewAction.ENTER, ReviewState.PENDING),
        (ReviewAction.RETURN, ReviewState.RETURNED),
        (ReviewAction.ENTER, ReviewState.PENDING),
        (ReviewAction.APPROVE, ReviewState.APPROVED),
        (ReviewAction.PUBLISH, ReviewState.PUBLISHED),
    ]:
        state = next_review_state(state, action)
        assert state is expected
    assert state.label_zh == "已公示"


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (ReviewState.NOT_ENTERED, ReviewAction.APPROVE),
        (ReviewState.NOT_ENTERED, ReviewAction.PUBLISH),
        (ReviewState.RETURNED, ReviewAction.APPROVE),
        (ReviewState.PENDING, ReviewAction.PUBLISH),
        (ReviewState.APPROVED, ReviewAction.ENTER),
        (ReviewState.PUBLISHED, ReviewAction.ENTER),
        (ReviewState.PUBLISHED, ReviewAction.RETURN),
    ],
)
def test_disallowed_review_moves_are_refused(state: ReviewState, action: ReviewAction) -> None:
    with pytest.raises(InvalidTransition, match=state.label_zh):
        next_review_state(state, action)
