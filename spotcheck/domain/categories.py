"""Result categories of a spot check and the review states of a result (docs/operations.md "Results").

Each department records, for its items on a visit, one category (谁检查、谁录入、谁公开). Codes are stable: they
are stored, published and fed to the credit system; the Chinese label is the one provincial systems display.
Flags say what a category sets off beyond publication: an enterprise unreachable at its registered address, or
one whose published information was false, goes on the abnormal-operations list (经营异常名录).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from spotcheck.domain.errors import InvalidTransition, ValidationError

__all__ = [
    "CATEGORIES",
    "Category",
    "Flag",
    "ReviewAction",
    "ReviewState",
    "category",
    "next_review_state",
]


class Flag(StrEnum):
    ABNORMAL_LIST = "abnormal_list"  # 列入经营异常名录
    ADVERSE = "adverse"  # a problem: lowers the firm's credit
    FOLLOW_UP = "follow_up"  # the case continues (后续处置)
    NOT_OPERATING = "not_operating"  # the directory's status should be updated


@dataclass(frozen=True)
class Category:
    code: str
    label_zh: str
    label_en: str
    flags: frozenset[Flag] = frozenset()


_FOLLOW_UP = frozenset({Flag.ADVERSE, Flag.FOLLOW_UP})
_LISTED = frozenset({Flag.ADVERSE, Flag.ABNORMAL_LIST})
_GONE = frozenset({Flag.NOT_OPERATING})
CATEGORIES: tuple[Category, ...] = (
    Category("no_problem", "未发现问题", "no problem found"),
    Category(
        "info_not_published", "未按规定公示应当公示的信息", "required information not published", _FOLLOW_UP
    ),
    Category("info_false", "公示信息隐瞒真实情况弄虚作假", "published information false", _LISTED),
    Category(
        "corrected", "发现问题经责令已改正", "problem found, corrected on order", frozenset({Flag.ADVERSE})
    ),
    Category("follow_up", "发现问题待后续处理", "problem found, follow-up pending", _FOLLOW_UP),
    Category("no_activity", "未发现开展本次抽查涉及的经营活动", "no such business activity"),
    Category(
        "unreachable", "通过登记的住所（经营场所）无法联系", "unreachable at registered address", _LISTED
    ),
    Category("non_cooperation", "不配合检查情节严重", "serious non-cooperation", _FOLLOW_UP),
    Category("closed", "已关闭停业或正在组织清算", "closed or liquidating", _GONE),
    Category("deregistered", "已注销", "deregistered", _GONE),
    Category("revoked", "被吊销", "licence revoked", _GONE),
    Category("cancelled", "被撤销", "registration cancelled", _GONE),
    Category("moved_out", "迁出", "moved out of the jurisdiction", _GONE),
)
_BY_KEY = {c.code: c for c in CATEGORIES} | {c.label_zh: c for c in CATEGORIES}


def category(code_or_label: str) -> Category:
    """A category by its code or its exact Chinese label; anything else is refused."""
    found = _BY_KEY.get(code_or_label.strip())
    if found is None:
        known = ", ".join(c.code for c in CATEGORIES)
        raise ValidationError(f"unknown result category {code_or_label!r}; known: {known}")
    return found


class ReviewState(StrEnum):
    """Where one department's result for one visit stands."""

    NOT_ENTERED = "unrecorded"  # 未录入 (codes as the store's RESULT_STATES)
    PENDING = "pending_review"  # 待审核
    RETURNED = "returned"  # 审核退回
    APPROVED = "approved"  # 审核通过: awaiting the quarter's publication
    PUBLISHED = "published"  # 已公示

    @property
    def label_zh(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    ReviewState.NOT_ENTERED: "未录入",
    ReviewState.PENDING: "待审核",
    ReviewState.RETURNED: "审核退回",
    ReviewState.APPROVED: "审核通过",
    ReviewState.PUBLISHED: "已公示",
}


class ReviewAction(StrEnum):
    ENTER = "enter"  # the inspecting department records (or re-records) its result
    RETURN = "return"  # the reviewer sends it back with a reason
    APPROVE = "approve"
    PUBLISH = "publish"  # done for every approved result when the quarter is published


_REVIEW = {
    (ReviewState.NOT_ENTERED, ReviewAction.ENTER): ReviewState.PENDING,
    (ReviewState.RETURNED, ReviewAction.ENTER): ReviewState.PENDING,
    (ReviewState.PENDING, ReviewAction.ENTER): ReviewState.PENDING,  # corrected before review: a new version
    (ReviewState.PENDING, ReviewAction.RETURN): ReviewState.RETURNED,
    (ReviewState.PENDING, ReviewAction.APPROVE): ReviewState.APPROVED,
    (ReviewState.APPROVED, ReviewAction.PUBLISH): ReviewState.PUBLISHED,
}


def next_review_state(state: ReviewState, action: ReviewAction) -> ReviewState:
    """The state after ``action``; an action the state does not allow raises ``InvalidTransition``."""
    after = _REVIEW.get((state, action))
    if after is None:
        allowed = sorted(a.value for (s, a) in _REVIEW if s is state) or ["none"]
        raise InvalidTransition(
            f"a result {state.label_zh} ({state.value}) cannot be {action.value}ed; allowed: {', '.join(allowed)}"
        )
    return after
