"""Tier pushes through the staging table: a retried batch is applied once, the same batch id with other content
is refused, and a push with very many problems lists the first ones and says how many there are."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from spotcheck.domain.errors import ValidationError
from spotcheck.services.tiers import PROBLEMS_SHOWN, append_tier_file
from spotcheck.store.tables import TierBatchRow, TierRow
from tests.conftest import make_code
from tests.e2e.conftest import World


def _count(world: World, row: type[TierRow | TierBatchRow]) -> int:
    with world.uow_factory() as uow:
        return int(uow.session.execute(select(func.count()).select_from(row)).scalar_one())


def _push(world: World, tmp_path: Path, rows: list[str], **options: int) -> int:
    path = tmp_path / "push" / "tiers.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text("uscc,tier,effective,batch\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    with world.uow_factory() as uow:
        return append_tier_file(uow, path, actor="credit:test", **options).appended


def test_a_retried_batch_is_applied_once(world: World, tmp_path: Path) -> None:
    before = _count(world, TierRow)
    rows = [f"{make_code(n)},C,2026-05-01,R1" for n in range(5, 10)]
    assert _push(world, tmp_path, rows) == 5
    assert _push(world, tmp_path, list(reversed(rows)), chunk_rows=2) == 0  # same content, any order
    assert _count(world, TierRow) == before + 5
    assert _count(world, TierBatchRow) == 1


def test_the_same_batch_id_with_other_content_is_refused(world: World, tmp_path: Path) -> None:
    _push(world, tmp_path, [f"{make_code(n)},C,2026-05-01,R2" for n in range(5, 8)])
    before = _count(world, TierRow)
    with pytest.raises(ValidationError) as caught:
        _push(world, tmp_path, [f"{make_code(n)},C,2026-05-01,R2" for n in range(5, 9)])
    assert [(p.line, p.field) for p in caught.value.problems] == [(2, "batch")]
    assert "already received with other content" in caught.value.problems[0].reason
    assert _count(world, TierRow) == before


def test_a_push_with_many_problems_lists_the_first_and_counts_them(world: World, tmp_path: Path) -> None:
    rows = [f"{make_code(1000 + n)},A,2026-05-01,R3" for n in range(PROBLEMS_SHOWN + 50)]  # unknown firms
    rows += ["91350200776049653B,A,2026-05-01,R3"] * 3  # bad check digit
    with pytest.raises(ValidationError) as caught:
        _push(world, tmp_path, rows, chunk_rows=400)
    problems = caught.value.problems
    assert len(problems) == PROBLEMS_SHOWN
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)
    assert f"{PROBLEMS_SHOWN + 53} problem(s)" in caught.value.message
    assert caught.value.count == PROBLEMS_SHOWN + 53
    assert problems[0].reason == f"unknown firm {make_code(1000)!r}"
