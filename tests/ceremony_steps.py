"""Shared steps of the seed ceremony (docs/ceremony.md) for tests: random-looking fixed secrets, the freeze with
its named beacon, the beacon entered on its date, every department handing in its own secret."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date, timedelta

from spotcheck.services import ceremony, freeze, seeding
from spotcheck.solver.assign.options import FrozenOptions
from spotcheck.store import UnitOfWork

__all__ = ["BEACON_SOURCE", "freeze_named", "hand_in_all", "secret_for", "seed_with_beacon"]

BEACON_SOURCE = "中国福利彩票双色球 开奖号码"
LATER = date(2100, 1, 1)  # a "today" after every named beacon date


def secret_for(*names: object) -> str:
    """A fixed 64-hex secret that is not obviously patterned (each test its own)."""
    return hashlib.sha256(("test secret\n" + "\n".join(map(str, names))).encode()).hexdigest()


def freeze_named(
    uow_factory: Callable[[], UnitOfWork],
    plan_id: int,
    frozen_on: date,
    *,
    actor: str = "planner",
    options: FrozenOptions | None = None,
) -> freeze.Frozen:
    """Freeze, naming the beacon published the day after."""
    return freeze.freeze(
        uow_factory(),
        plan_id,
        actor=actor,
        frozen_on=frozen_on,
        beacon_source=BEACON_SOURCE,
        beacon_date=frozen_on + timedelta(days=1),
        options=options,
    )


def seed_with_beacon(uow_factory: Callable[[], UnitOfWork], plan_id: int, value: str) -> None:
    seeding.enter_beacon(uow_factory(), plan_id, value, source=BEACON_SOURCE, actor="planner", today=LATER)


def hand_in_all(uow_factory: Callable[[], UnitOfWork], plan_id: int, secrets: Mapping[str, str]) -> None:
    for department, secret in sorted(secrets.items()):
        ceremony.hand_in(uow_factory(), plan_id, department, secret, actor=department)
