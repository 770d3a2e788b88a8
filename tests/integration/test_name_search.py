"""The public firm search on both databases with Chinese names (docs/formats.md "Firm-name search"): a name
contains the text literally, whatever its length; pages are in name then code order, past the 50th firm too;
the count and the matches stop at COUNT_CAP. With and without the statistics ANALYZE gathers, since on
PostgreSQL they decide where the search looks first (spotcheck/store/name_search.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import insert, text

from spotcheck.queries.firms import COUNT_CAP, enterprise_page
from spotcheck.store.tables import DistrictRow, EnterpriseRow
from spotcheck.store.uow import UnitOfWork
from tests.conftest import make_code

COMMON = 1050  # firms named ...有限公司: more than COUNT_CAP
RARE = [
    "临沂市兰山区恒鑫煎饼铺",
    "沂水县凯博家庭农场",
    "费县博金五金店",
    "百分%之百商行",
    "下划_线工作室",
    "反斜\\杠书店",
    "abc贸易行",
    "ABC贸易行",
]
REPEATED = ["临沂恒源物流中心", "临沂恒源物流中心", "临沂恒源物流站"]  # same names, distinct codes


def _names() -> list[str]:
    names = [f"临沂{'嘉宏德顺'[n % 4]}{n:04d}商贸有限公司" for n in range(COMMON)]
    names += RARE
    names += [f"{REPEATED[n % 3]}{n % 40:02d}" for n in range(120)]
    return names


@pytest.fixture
def directory(uow_factory: Callable[[], UnitOfWork]) -> Iterator[UnitOfWork]:
    """A directory of about 1,200 firms, in the unit of work the searches use (rolled back at the end)."""
    with uow_factory() as uow:
        uow.session.execute(insert(DistrictRow), [{"code": "371302", "name": "兰山区"}])
        rows = [
            {"uscc": make_code(n + 1), "name": name, "kind": "enterprise", "district": "371302"}
            | {"industry": "C", "status": "active", "legal_rep": "", "address": ""}
            for n, name in enumerate(_names())
        ]
        uow.session.execute(insert(EnterpriseRow), rows)
        yield uow


def without_and_with_statistics(uow: UnitOfWork) -> Iterator[str]:
    """Runs the loop's body twice: before ANALYZE, and after."""
    yield "unanalysed"
    uow.session.execute(text("ANALYZE"))
    yield "analysed"


def expected(q: str) -> list[tuple[str, str]]:
    """(name, code) of every firm whose name contains ``q``, in the search's order."""
    found = [(name, make_code(n + 1)) for n, name in enumerate(_names()) if q in name]
    return sorted(found)


def search(uow: UnitOfWork, q: str, *, limit: int = 20, offset: int = 0) -> tuple[list[tuple[str, str]], int]:
    page, count = enterprise_page(uow, q, limit=limit, offset=offset)
    return [(firm.name, firm.uscc) for firm in page], count


PIECES = [
    "铺",
    "凯博",
    "恒鑫煎",
    "兰山区恒鑫",
    "临沂市兰山区恒鑫煎饼铺",
    "博金",
    "家庭农场",
    "恒源物流站",
    "五金店",
]
WILDCARDS = ["%", "_", "%之", "划_线", "\\杠", "%%", "__", "恒%", "恒_"]
COMMON_WORDS = ["有限公司", "有限", "临沂", "公司", "商贸有限"]


def test_a_name_is_found_by_any_piece_of_it(directory: UnitOfWork) -> None:
    for _ in without_and_with_statistics(directory):
        for q in PIECES:
            want = expected(q)
            assert 0 < len(want) < 50
            assert search(directory, q, limit=50) == (want, len(want)), q


def test_a_piece_no_name_holds_finds_nothing(directory: UnitOfWork) -> None:
    for _ in without_and_with_statistics(directory):
        assert search(directory, "煎饼铺子") == ([], 0)
        assert search(directory, "凯金") == ([], 0)  # both characters are in names, never side by side


def test_like_wildcards_in_the_query_match_themselves(directory: UnitOfWork) -> None:
    for _ in without_and_with_statistics(directory):
        for q in WILDCARDS:
            want = expected(q)
            assert len(want) <= 1
            assert search(directory, q, limit=50) == (want, len(want)), q


def test_a_search_is_case_sensitive_on_postgresql_as_the_names_are_stored(directory: UnitOfWork) -> None:
    for _ in without_and_with_statistics(directory):
        found, count = search(directory, "abc贸易")
        if directory.session.get_bind().dialect.name == "postgresql":
            assert (found, count) == (expected("abc贸易"), 1)
        else:  # SQLite's LIKE folds ASCII case
            assert count == 2


def test_a_credit_code_finds_its_firm(directory: UnitOfWork) -> None:
    code = make_code(COMMON + 2)
    assert search(directory, f" {code.lower()} ") == ([("沂水县凯博家庭农场", code)], 1)


def test_pages_past_the_fiftieth_firm_follow_name_then_code(directory: UnitOfWork) -> None:
    want = expected("恒源物流")
    assert len(want) == 120
    for _ in without_and_with_statistics(directory):
        pages = [search(directory, "恒源物流", limit=50, offset=at) for at in (0, 50, 100)]
        assert [count for _, count in pages] == [120, 120, 120]
        assert [row for found, _ in pages for row in found] == want
        assert search(directory, "恒源物流", limit=50, offset=150) == ([], 120)


def test_a_common_word_stops_at_the_cap_and_pages_through_it(directory: UnitOfWork) -> None:
    for _ in without_and_with_statistics(directory):
        for q in COMMON_WORDS:
            everything = set(expected(q))
            assert len(everything) > COUNT_CAP
            seen: list[tuple[str, str]] = []
            for at in range(0, COUNT_CAP, 250):
                found, count = search(directory, q, limit=250, offset=at)
                assert count == COUNT_CAP and len(found) == 250, q
                seen += found
            assert seen == sorted(seen) and len(set(seen)) == COUNT_CAP and set(seen) <= everything, q
            assert search(directory, q, limit=100, offset=COUNT_CAP) == ([], COUNT_CAP)


def test_a_word_under_the_cap_is_counted_exactly(directory: UnitOfWork) -> None:
    for _ in without_and_with_statistics(directory):
        for q in ["沂宏", "沂顺0", "0商贸有限公司"]:
            want = expected(q)
            assert 50 < len(want) < COUNT_CAP
            assert search(directory, q, limit=10, offset=40) == (want[40:50], len(want)), q
