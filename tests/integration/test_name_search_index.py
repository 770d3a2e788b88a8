"""On PostgreSQL the firm-name search (LIKE '%...%') is served by the trigram index for Chinese queries of three
characters or more (pg_trgm in a UTF-8 database); SQLite keeps its scan."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from spotcheck.store.uow import UnitOfWork
from tests.conftest import make_code


@pytest.mark.parametrize("query", ["兰山区", "煎饼铺", "临沂市兰山"])
def test_a_chinese_name_search_uses_the_trigram_index(
    uow_factory: Callable[[], UnitOfWork], query: str
) -> None:
    with uow_factory() as uow:
        if uow.session.get_bind().dialect.name != "postgresql":
            pytest.skip("the trigram index is PostgreSQL's")
        uow.session.execute(text("INSERT INTO districts (code, name) VALUES ('371302', '兰山区')"))
        names = ["临沂市兰山区恒鑫煎饼铺", "临沂市费县博金五金店", "沂水县凯博家庭农场"]
        for n in range(300):
            uow.session.execute(
                text(
                    "INSERT INTO enterprises (uscc, name, kind, district, industry, status, legal_rep, address) "
                    "VALUES (:u, :n, 'enterprise', '371302', 'C', 'active', '', '')"
                ),
                {"u": make_code(n + 1), "n": f"{names[n % 3]}{n}"},
            )
        uow.session.execute(text("ANALYZE enterprises"))
        uow.session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table: make the choice visible
        plan = "\n".join(
            uow.session.execute(
                text("EXPLAIN SELECT uscc FROM enterprises WHERE name LIKE :q ESCAPE '\\'"),
                {"q": f"%{query}%"},
            ).scalars()
        )
    assert "ix_enterprises_name_trgm" in plan, plan
