"""The frozen snapshot stored as a compressed document (migration 0002) and, for the firms and their tiers, as
compressed Arrow columns in blocks (migration 0010): the freeze round-trips exactly, the stored bytes are the
same for the same inputs, the document's SHA-256 is over its canonical JSON text and names the columns'
digests, altered columns are refused, and snapshots frozen before either change (every directory in the
document, as text in ``snapshots.payload`` or compressed) are still read, converted by the migration or not."""

from __future__ import annotations

import copy
import gzip
import hashlib
import inspect
import io
import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from sqlalchemy import select, text

from spotcheck.domain.errors import VerificationError
from spotcheck.domain.model import Tier, TierRecord
from spotcheck.evidence.canonical import canonical_json
from spotcheck.ingest import load_city
from spotcheck.ingest.city import read_plan
from spotcheck.ingest.tiers import quarter_start
from spotcheck.services import draws, freeze, plans, seeding
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
from spotcheck.store import UnitOfWork, city_columns, import_folder
from spotcheck.store.convert import to_values
from spotcheck.store.engine import make_engine
from spotcheck.store.migrate import current, downgrade, upgrade
from spotcheck.store.quarter import SnapshotRow
from spotcheck.store.snapshot_blocks import SnapshotBlockRow
from spotcheck.store.snapshot_columns import SCHEMAS, column_digests, write_stream
from tests.ceremony_steps import freeze_named, hand_in_all, seed_with_beacon
from tests.conftest import write_tiny_city
from tests.integration.test_quarter_draw import BEACON, FROZEN_ON, new_plan, secrets_for

UowFactory = Callable[[], UnitOfWork]


Captured = tuple[int, Path, dict[str, str], freeze.Frozen, dict[str, Any], dict[str, pa.Table]]


def expected_columns(folder: Path) -> dict[str, pa.Table]:
    """What the freeze must store, built from the files apart from it: every firm with every column, and per
    firm its tier record in force on the as-of date (the quarter's first day, or the freeze date if earlier), by
    credit code."""
    loaded = load_city(folder)
    assert loaded.plan is not None
    on = min(FROZEN_ON, quarter_start(loaded.plan.year, loaded.plan.quarter))
    firms = sorted(loaded.enterprises, key=lambda f: f.uscc)
    rows = [to_values("enterprises", f) for f in firms]
    in_force: dict[str, TierRecord] = {}
    for record in loaded.tiers:
        best = in_force.get(record.uscc)
        if record.effective <= on and (
            best is None or (record.effective, record.batch) > (best.effective, best.batch)
        ):
            in_force[record.uscc] = record
    tiers = [to_values("tiers", in_force[code]) for code in sorted(in_force)]
    return {
        "enterprises": pa.Table.from_pylist(rows, schema=SCHEMAS["enterprises"]),
        "tiers": pa.Table.from_pylist(tiers, schema=SCHEMAS["tiers"]),
    }


def frozen_capturing(uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Captured:
    """Commit, freeze (keeping a deep copy of the document handed to the store) and enter the beacon; with the
    column tables the freeze must have stored (``expected_columns``)."""
    plan_id, folder, secrets = new_plan(uow_factory, tmp_path)
    for department, secret in secrets.items():
        seeding.commit_secret(uow_factory(), plan_id, department, secret, actor=department)
    written: list[dict[str, Any]] = []
    store = snapshot_module.store_snapshot

    def spy(*args: Any, **kw: Any) -> str:
        given = inspect.signature(store).bind(*args, **kw).arguments
        written.append(copy.deepcopy(given["payload"]))
        return store(*args, **kw)

    monkeypatch.setattr(freeze, "store_snapshot", spy)
    frozen = freeze_named(uow_factory, plan_id, FROZEN_ON)
    monkeypatch.undo()
    seed_with_beacon(uow_factory, plan_id, BEACON)
    hand_in_all(uow_factory, plan_id, secrets)
    (payload,) = written
    return plan_id, folder, secrets, frozen, payload, expected_columns(folder)


def stored_blocks(uow: UnitOfWork, plan_id: int, part: str) -> bytes:
    query = (
        select(SnapshotBlockRow.data)
        .join(SnapshotRow, SnapshotRow.id == SnapshotBlockRow.snapshot_id)
        .where(SnapshotRow.plan_id == plan_id, SnapshotBlockRow.part == part)
        .order_by(SnapshotBlockRow.seq)
    )
    return b"".join(bytes(b) for b in uow.session.execute(query).scalars())


def stream_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    write_stream(table, sink)
    return sink.getvalue()


def text_payload(payload: dict[str, Any], columns: dict[str, pa.Table]) -> dict[str, Any]:
    """The same inputs as the code before the columns wrote them (format /3): every directory in ``tables``."""
    old = {k: v for k, v in payload.items() if k != "columns"}
    old["format"] = "spotcheck-frozen-inputs/3"
    old["tables"] = dict(payload["tables"])
    for kind, table in columns.items():
        rows = table.to_pylist()
        for row in rows:
            for name in ("registered_on", "effective"):
                if row.get(name) is not None:
                    row[name] = row[name].isoformat()
        old["tables"][kind] = rows
    return old


def freeze_entry(uow_factory: UowFactory, plan_id: int) -> dict[str, Any]:
    with uow_factory() as uow:
        (entry,) = [
            e.payload for e in uow.audit.entries() if e.action == "freeze" and e.payload["plan"] == plan_id
        ]
    return entry


def test_a_freeze_round_trips_exactly_and_keeps_its_digests(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_id, folder, _, frozen, written, columns = frozen_capturing(uow_factory, tmp_path, monkeypatch)
    with uow_factory() as uow:
        payload, digest = read_snapshot(uow, plan_id)
        row = uow.session.execute(select(SnapshotRow).where(SnapshotRow.plan_id == plan_id)).scalar_one()
        stored, legacy = row.payload_gz, row.payload
        city, history, rotation, digest2 = freeze.frozen_inputs_and_rotation(uow, plan_id)
        blocks = {kind: stored_blocks(uow, plan_id, kind) for kind in columns}
    assert payload == written and canonical_json(payload) == canonical_json(written)
    # The document holds the small directories; the firms and tiers are columns it names by digest.
    assert payload["format"] == "spotcheck-frozen-inputs/4" and set(payload["tables"]) == {
        "departments",
        "districts",
        "items",
        "inspectors",
        "experts",
        "conflicts",
    }
    loaded = load_city(folder)
    assert {kind: payload["columns"][kind]["rows"] for kind in columns} == {
        "enterprises": len(loaded.enterprises),
        "tiers": len(loaded.tiers),
    }
    for kind, table in columns.items():
        assert payload["columns"][kind]["sha256"] == column_digests(table)
        assert blocks[kind] == stream_bytes(table) and len(blocks[kind]) > 0
    assert list(city.enterprises) == list(loaded.enterprises) and list(city.tiers) == list(loaded.tiers)
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


def test_altered_columns_are_refused(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_id, _, _, _, _, columns = frozen_capturing(uow_factory, tmp_path, monkeypatch)
    firms = columns["enterprises"]
    names = firms.column("name").to_pylist()
    names[3] = names[3] + "（改）"
    altered = firms.set_column(1, "name", pa.array(names, pa.string()))
    with uow_factory() as uow:
        (block,) = uow.session.execute(
            select(SnapshotBlockRow)
            .join(SnapshotRow, SnapshotRow.id == SnapshotBlockRow.snapshot_id)
            .where(SnapshotRow.plan_id == plan_id, SnapshotBlockRow.part == "enterprises")
        ).scalars()
        block.data = stream_bytes(altered)
        uow.commit()
    with uow_factory() as uow, pytest.raises(VerificationError, match="enterprises of plan .* do not match"):
        freeze.frozen_inputs(uow, plan_id)
    with uow_factory() as uow:  # the firms as frozen again, the tiers' block garbled
        blocks = uow.session.execute(select(SnapshotBlockRow).order_by(SnapshotBlockRow.part)).scalars().all()
        assert [b.part for b in blocks] == ["enterprises", "tiers"]
        blocks[0].data, blocks[1].data = stream_bytes(firms), b"not an arrow stream"
        uow.commit()
    with pytest.raises(VerificationError, match="tiers cannot be read"):
        draws.run_draw(uow_factory(), plan_id, actor="planner")


def test_the_stored_bytes_are_the_same_for_the_same_payload(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_id, _, _, _, written, columns = frozen_capturing(uow_factory, tmp_path, monkeypatch)
    with uow_factory() as uow:
        stored = uow.session.execute(
            select(SnapshotRow.payload_gz).where(SnapshotRow.plan_id == plan_id)
        ).scalar_one()
        payload, _ = read_snapshot(uow, plan_id)
        blocks = {kind: stored_blocks(uow, plan_id, kind) for kind in columns}
    # The columns: the same tables give the same stream, also from a copy made batch by batch.
    for kind, table in columns.items():
        rebuilt = pa.Table.from_batches(table.to_batches(max_chunksize=7), schema=table.schema)
        assert blocks[kind] == stream_bytes(table) == stream_bytes(rebuilt)
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
    """A row as the code before 0002 wrote it: the canonical text of a /3 document (every directory in it) in
    ``payload``, no compressed copy and no columns; then the same document compressed, as 0002 to 0007 wrote it."""
    plan_id, _, _, frozen, new, columns = frozen_capturing(uow_factory, tmp_path, monkeypatch)
    written = text_payload(new, columns)
    with uow_factory() as uow:
        row = uow.session.execute(select(SnapshotRow).where(SnapshotRow.plan_id == plan_id)).scalar_one()
        uow.session.query(SnapshotBlockRow).filter(SnapshotBlockRow.snapshot_id == row.id).delete()
        row.payload, row.payload_gz = canonical_json(written), None
        uow.commit()
    with uow_factory() as uow:
        payload, digest = read_snapshot(uow, plan_id)
        assert freeze.prepare_frozen(uow, plan_id).snapshot == frozen.digest
    assert payload == written and digest == frozen.digest
    with uow_factory() as uow:
        row = uow.session.execute(select(SnapshotRow).where(SnapshotRow.plan_id == plan_id)).scalar_one()
        row.payload, row.payload_gz = None, pack_payload(written)[0]
        uow.commit()
    with uow_factory() as uow:
        assert read_snapshot(uow, plan_id) == (written, frozen.digest)
        assert freeze.prepare_frozen(uow, plan_id).snapshot == frozen.digest
    drawn = draws.run_draw(uow_factory(), plan_id, actor="planner")
    assert drawn.visits > 0
    with uow_factory() as uow:  # a text row not in canonical form is refused, as before
        row = uow.session.execute(select(SnapshotRow).where(SnapshotRow.plan_id == plan_id)).scalar_one()
        row.payload, row.payload_gz = json.dumps(written, indent=1), None
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
        downgrade(db_url, "0001")
        with engine.connect() as conn:
            texts = conn.execute(text("SELECT payload FROM snapshots ORDER BY plan_id")).scalars().all()
        assert texts == [canonical_json(p) for p in payloads]
    finally:
        engine.dispose()


def test_the_freeze_streams_in_small_pieces_and_keeps_the_record_in_force(
    uow_factory: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pieces of a few rows (so a firm's tier records are split between pieces): the stored columns are the
    files' firms and, per firm, the record in force (the latest day on or before the as-of date, ties to the
    greater batch, later days left out), and the digest is the offline one."""
    folder = write_tiny_city(tmp_path / "city", firms=60)
    tiers = (folder / "tiers.csv").read_text(encoding="utf-8").splitlines()
    codes = [line.split(",")[0] for line in tiers[1:]]
    extra = [f"{c},D,2025-06-01,B2025-06" for c in codes[:8]]  # older: superseded
    extra += [f"{c},A,2025-12-01,B2025-12b" for c in codes[3:6]]  # same day, greater batch: wins
    extra += [f"{c},D,2026-02-01,B2026-02" for c in codes[6:8]]  # after the as-of date: left out
    firms = (folder / "enterprises.csv").read_text(encoding="utf-8").splitlines()[1:]
    untiered = [line.split(",")[0] for line in firms if line.split(",")[0] not in codes][:2]
    extra += [f"{c},C,2025-01-01,B2025-01" for c in untiered]  # a firm's only record
    (folder / "tiers.csv").write_text("\n".join(tiers + extra) + "\n", encoding="utf-8")
    import_folder(uow_factory(), folder)
    plan_id = plans.create_plan(uow_factory(), read_plan(folder / "plan.json"), actor="planner")
    for department, secret in secrets_for(plans.plan_status(uow_factory(), plan_id).participants).items():
        seeding.commit_secret(uow_factory(), plan_id, department, secret, actor=department)
    monkeypatch.setattr(city_columns, "CHUNK_ROWS", 3)
    monkeypatch.setattr(city_columns, "CSV_BYTES", 100)
    frozen = freeze_named(uow_factory, plan_id, FROZEN_ON)
    expected = expected_columns(folder)
    assert expected["tiers"].num_rows == len(set(codes) | set(untiered))
    with uow_factory() as uow:
        for kind, table in expected.items():
            assert stored_blocks(uow, plan_id, kind) == stream_bytes(table)
        payload, _ = read_snapshot(uow, plan_id)
        city, _, _, digest = freeze.frozen_inputs_and_rotation(uow, plan_id)
    for kind, table in expected.items():
        assert payload["columns"][kind] == {"rows": table.num_rows, "sha256": column_digests(table)}
    assert digest == frozen.digest == prepare(load_city(folder)).snapshot
    assert list(city.tiers) == [
        TierRecord(r["uscc"], Tier(r["tier"]), r["effective"], r["batch"])
        for r in expected["tiers"].to_pylist()
    ]
