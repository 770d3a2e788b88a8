"""The frozen payload stored compressed (migration 0002): the freeze round-trips exactly, the stored bytes are
the same for the same payload, the payload's SHA-256 is still over the canonical JSON text, and a snapshot
frozen before the change (text in ``snapshots.payload``) is still read, converted by the migration or not."""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, text

from spotcheck.domain.errors import VerificationError
from spotcheck.evidence.canonical import canonical_json
from spotcheck.ingest import load_city
from spotcheck.services import draws, freeze, seeding
from spotcheck.services import snapshot as snapshot_module
from spotcheck.services.snapshot import (
    GZIP_HEADER,
    canonical_pieces,
    pack_payload,
    payload_digest,
    read_snapshot,
    unpack_payload,
)
from spotcheck.solver.draw.quarter import prepare
from spotcheck.store import UnitOfWork
from spotcheck.store.engine import make_engine
from spotcheck.store.migrate import alembic_config, current, upgrade
from spotcheck.store.quarter import SnapshotRow
from tests.ceremony_steps import freeze_named, hand_in_all, seed_with_beacon
from tests.integration.test_quarter_draw import BEACON, FROZEN_ON, new_plan

UowFactory = Callable[[], UnitOfWork]


def frozen_capturing(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, Path, dict[str, str], freeze.Frozen, dict[str, Any]]:
    """Commit, freeze (keeping a deep copy of the payload handed to the store) and enter the beacon."""
    plan_id, folder, secrets = new_plan(uow_factory, tmp_path)
    for department, secret in secrets.items():
        seeding.commit_secret(uow_factory(), plan_id, department, secret, actor=department)
    written: list[dict[str, Any]] = []
    store = snapshot_module.store_snapshot

    def spy(uow: UnitOfWork, plan: int, digest: str, payload: dict[str, Any]) -> str:
        written.append(copy.deepcopy(payload))
        return store(uow, plan, digest, payload)

    monkeypatch.setattr(freeze, "store_snapshot", spy)
    frozen = freeze_named(uow_factory, plan_id, FROZEN_ON)
    monkeypatch.undo()
    seed_with_beacon(uow_factory, plan_id, BEACON)
    hand_in_all(uow_factory, plan_id, secrets)
    (payload,) = written
    return plan_id, folder, secrets, frozen, payload


def freeze_entry(uow_factory: UowFactory, plan_id: int) -> dict[str, Any]:
    with uow_factory() as uow:
        (entry,) = [
            e.payload for e in uow.audit.entries() if e.action == "freeze" and e.payload["plan"] == plan_id
        ]
    return entry


def test_a_freeze_round_trips_exactly_and_keeps_its_digests(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_id, folder, _, frozen, written = frozen_capturing(uow_factory, tmp_path, monkeypatch)
    with uow_factory() as uow:
        payload, digest = read_snapshot(uow, plan_id)
        row = uow.session.execute(select(SnapshotRow).where(SnapshotRow.plan_id == plan_id)).scalar_one()
        stored, legacy = row.payload_gz, row.payload
        city, history, rotation, digest2 = freeze.frozen_inputs_and_rotation(uow, plan_id)
    assert payload == written and canonical_json(payload) == canonical_json(written)
    assert digest == digest2 == frozen.digest == prepare(load_city(folder)).snapshot
    # The payload's SHA-256 is over the canonical JSON text, uncompressed, as before.
    sha = hashlib.sha256(canonical_json(written).encode("utf-8")).hexdigest()
    assert (
        frozen.payload_sha256
        == sha
        == payload_digest(payload)
        == freeze_entry(uow_factory, plan_id)["payload_sha256"]
    )
    assert legacy is None and stored is not None
    assert gzip.decompress(stored) == canonical_json(written).encode("utf-8")
    assert len(stored) < len(canonical_json(written).encode("utf-8"))
    assert prepare(city, history=history).snapshot == digest and rotation == []


def test_the_stored_bytes_are_the_same_for_the_same_payload(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_id, _, _, _, written = frozen_capturing(uow_factory, tmp_path, monkeypatch)
    with uow_factory() as uow:
        stored = uow.session.execute(
            select(SnapshotRow.payload_gz).where(SnapshotRow.plan_id == plan_id)
        ).scalar_one()
        payload, _ = read_snapshot(uow, plan_id)
    reordered = json.loads(json.dumps(written, sort_keys=False))
    reordered = dict(reversed(list(reordered.items())))  # key order does not matter: canonical text is sorted
    assert stored == pack_payload(written)[0] == pack_payload(payload)[0] == pack_payload(reordered)[0]
    # Fixed header: no time stamp, no name, OS 255; one-shot deflate with the same settings gives the same body.
    data = canonical_json(written).encode("utf-8")
    assert stored[:10] == GZIP_HEADER and stored[4:8] == b"\x00\x00\x00\x00"
    reference = (
        GZIP_HEADER + zlib.compress(data, 6, wbits=-15) + struct.pack("<LL", zlib.crc32(data), len(data))
    )
    assert stored == reference


def test_the_pieces_are_the_canonical_text_and_packing_is_deterministic() -> None:
    rows = [{"b": i, "a": f"企业{i}", "z": [i, {"y": None, "x": True}]} for i in range(10_000)]
    payload = {"tables": {"enterprises": rows, "empty": []}, "history": rows[:5], "format": "x/2", "n": 3}
    pieces = list(canonical_pieces(payload))
    assert len(pieces) > 5 and "".join(pieces) == canonical_json(payload)
    packed, sha = pack_payload(payload)
    assert (
        sha == hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest() == payload_digest(payload)
    )
    assert packed == pack_payload(copy.deepcopy(payload))[0]
    assert unpack_payload(packed) == canonical_json(payload).encode("utf-8")
    with pytest.raises(VerificationError, match="truncated"):
        unpack_payload(packed[:-9])
    with pytest.raises(VerificationError, match="after its end"):
        unpack_payload(packed + b"\x00")
    with pytest.raises(VerificationError, match="not valid gzip"):
        unpack_payload(b"not gzip at all")


def test_a_snapshot_frozen_before_the_change_is_still_read_and_drawn(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row as the code before 0002 wrote it: the canonical text in ``payload``, no compressed copy."""
    plan_id, _, _, frozen, written = frozen_capturing(uow_factory, tmp_path, monkeypatch)
    with uow_factory() as uow:
        row = uow.session.execute(select(SnapshotRow).where(SnapshotRow.plan_id == plan_id)).scalar_one()
        row.payload, row.payload_gz = canonical_json(written), None
        uow.commit()
    with uow_factory() as uow:
        payload, digest = read_snapshot(uow, plan_id)
    assert payload == written and digest == frozen.digest
    drawn = draws.run_draw(uow_factory(), plan_id, actor="planner")
    assert drawn.visits > 0
    with uow_factory() as uow:  # a text row not in canonical form is refused, as before
        row = uow.session.execute(select(SnapshotRow).where(SnapshotRow.plan_id == plan_id)).scalar_one()
        row.payload = json.dumps(written, indent=1)
        uow.commit()
    with uow_factory() as uow, pytest.raises(VerificationError, match="not in canonical form"):
        read_snapshot(uow, plan_id)


def test_the_migration_compresses_text_rows_and_the_downgrade_restores_them(db_url: str) -> None:
    upgrade(db_url, "0001")
    payloads = [
        {"format": "spotcheck-frozen-inputs/1", "tables": {"enterprises": [{"uscc": "X", "name": "临沂"}]}},
        {"format": "spotcheck-frozen-inputs/2", "history": [], "rotation": [{"year": 2025}]},
    ]
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            for n, payload in enumerate(payloads, start=1):
                conn.execute(
                    text(
                        "INSERT INTO plans (id, year, quarter, state, plan_json, created, updated) "
                        "VALUES (:id, 2026, :q, 'frozen', '{}', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                    ),
                    {"id": n, "q": n},
                )
                conn.execute(
                    text(
                        "INSERT INTO snapshots (plan_id, digest, payload, created) "
                        "VALUES (:p, :d, :t, '2026-01-01 00:00:00')"
                    ),
                    {"p": n, "d": f"{n:064x}", "t": canonical_json(payload)},
                )
        upgrade(db_url, "0002")  # this migration's own step (later revisions follow it)
        assert current(db_url) == "0002"
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT plan_id, payload, payload_gz FROM snapshots ORDER BY plan_id")
            ).all()
        for (plan, legacy, packed), payload in zip(rows, payloads, strict=True):
            assert legacy is None and bytes(packed) == pack_payload(payload)[0]
        with UnitOfWork(engine) as uow:
            for n, payload in enumerate(payloads, start=1):
                assert read_snapshot(uow, n) == (payload, f"{n:064x}")
        with engine.begin() as conn:
            config = alembic_config(db_url)
            config.attributes["connection"] = conn
            command.downgrade(config, "0001")
        with engine.connect() as conn:
            texts = conn.execute(text("SELECT payload FROM snapshots ORDER BY plan_id")).scalars().all()
        assert texts == [canonical_json(p) for p in payloads]
    finally:
        engine.dispose()
