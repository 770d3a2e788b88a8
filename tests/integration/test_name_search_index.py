"""On PostgreSQL the firm-name search is served by the bigram index (migration 0011) for Chinese queries of two
characters or more, and a common word is looked for first among the firms stored first
(spotcheck/store/name_search.py); SQLite keeps its scan."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import insert, inspect, select, text

from spotcheck.store.engine import make_engine
from spotcheck.store.migrate import current, downgrade, upgrade
from spotcheck.store.name_search import INDEX, bigrams, capped_matches
from spotcheck.store.tables import DistrictRow, EnterpriseRow
from spotcheck.store.uow import UnitOfWork
from tests.conftest import make_code

NAMES = ["临沂市兰山区恒鑫煎饼铺", "临沂市费县博金五金店", "沂水县凯博家庭农场"]


@pytest.fixture
def directory(uow_factory: Callable[[], UnitOfWork]) -> Iterator[UnitOfWork]:
    """20,000 firms whose names repeat three patterns, a rare piece ("琅锦") in two of them, analysed."""
    with uow_factory() as uow:
        if uow.session.get_bind().dialect.name != "postgresql":
            pytest.skip("the bigram index is PostgreSQL's")
        uow.session.execute(insert(DistrictRow), [{"code": "371302", "name": "兰山区"}])
        uow.session.execute(
            text(
                "INSERT INTO enterprises (uscc, name, kind, district, industry, status, legal_rep, address) "
                "SELECT 'T' || lpad(n::text, 17, '0'), (CAST(:names AS text[]))[n % 3 + 1] || n, 'enterprise', "
                "'371302', 'C', 'active', '', '' FROM generate_series(1, 19998) AS n"
            ),
            {"names": NAMES},
        )
        rare = [
            {"uscc": make_code(n), "name": name}
            for n, name in enumerate(["临沂琅锦商贸有限公司", "琅锦花园酒店"])
        ]
        uow.session.execute(
            insert(EnterpriseRow),
            [
                r | {"kind": "enterprise", "district": "371302", "industry": "C", "status": "active"}
                for r in rare
            ],
        )
        uow.session.execute(text("ANALYZE enterprises"))
        uow.commit()
    with uow_factory() as uow:
        yield uow


def plan(uow: UnitOfWork, q: str) -> str:
    """EXPLAIN of the search's look through the whole directory (the last place it looks)."""
    whole = capped_matches(uow.session, q, cap=1000)[-1]
    statement = select(whole.c.uscc).compile(uow.session.get_bind(), compile_kwargs={"literal_binds": True})
    return "\n".join(uow.session.execute(text(f"EXPLAIN {statement}")).scalars())


def test_a_rare_two_character_piece_is_found_through_the_bigram_index(directory: UnitOfWork) -> None:
    assert INDEX in plan(directory, "琅锦")


@pytest.mark.parametrize("query", ["兰山区", "煎饼铺", "临沂市兰山"])
def test_a_longer_chinese_piece_can_use_the_bigram_index(directory: UnitOfWork, query: str) -> None:
    directory.session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table: make the choice visible
    assert INDEX in plan(directory, query)


def test_a_word_in_most_names_is_looked_for_first_among_the_firms_stored_first(directory: UnitOfWork) -> None:
    assert len(capped_matches(directory.session, "临沂市", cap=1000)) == 2
    assert len(capped_matches(directory.session, "琅锦", cap=1000)) == 1
    assert len(capped_matches(directory.session, "市费县博金", cap=1000)) == 2  # each bigram in a third


def test_the_database_and_python_agree_on_a_names_bigrams(directory: UnitOfWork) -> None:
    for name in ["", "铺", "临沂", "临沂市兰山区恒鑫煎饼铺", "a%_\\b", "沂沂沂"]:
        stored = directory.session.execute(text("SELECT name_bigrams(:n)"), {"n": name}).scalar_one()
        assert sorted(set(stored)) == bigrams(name)


def test_the_migration_goes_back_to_the_trigram_index_and_forward_again(db_url: str) -> None:
    def names_indexes() -> set[str]:
        engine = make_engine(db_url)
        try:
            with engine.connect() as connection:
                return {i["name"] or "" for i in inspect(connection).get_indexes("enterprises")}
        finally:
            engine.dispose()

    upgrade(db_url, "0011")
    assert {
        INDEX,
        "ix_enterprises_name",
    } <= names_indexes() and "ix_enterprises_name_trgm" not in names_indexes()
    downgrade(db_url, "0010")
    assert current(db_url) == "0010"
    assert "ix_enterprises_name_trgm" in names_indexes() and INDEX not in names_indexes()
    upgrade(db_url, "0011")
    assert INDEX in names_indexes() and "ix_enterprises_name_trgm" not in names_indexes()
