"""The stored firm and tier columns (docs/operations.md "The stored snapshot"): each column's digest follows its
written definition, the stream round-trips and its bytes are the same for the same table, and the columns read
back are the draw's firms and tiers."""

from __future__ import annotations

import hashlib
import io
import struct
from datetime import date

import pyarrow as pa
import pytest

from spotcheck.domain.errors import VerificationError
from spotcheck.domain.model import Enterprise, EntityKind, Status, Tier, TierRecord
from spotcheck.store import column_digest, snapshot_columns
from spotcheck.store.column_digest import ColumnDigests
from spotcheck.store.draw_columns import FirmBuilder, TierBuilder
from spotcheck.store.snapshot_columns import (
    SCHEMAS,
    StreamWriter,
    column_digests,
    firm_columns,
    read_batches,
    read_stream,
    tier_columns,
    write_stream,
)

FIRMS = [
    Enterprise("91350200776049653A", "厦门某某有限公司", EntityKind.ENTERPRISE, "350203", "C", Status.ACTIVE,
               "王五", "厦门市思明区", date(2005, 6, 1)),
    Enterprise("91440101MA5CJQ4N59", "广州\n换行合作社", EntityKind.COOPERATIVE, "440101", "A", Status.ABNORMAL,
               "", "", None),
]  # fmt: skip


def firm_table(firms: list[Enterprise]) -> pa.Table:
    rows = [
        {
            "uscc": f.uscc,
            "name": f.name,
            "kind": f.kind.value,
            "district": f.district,
            "industry": f.industry,
            "status": f.status.value,
            "legal_rep": f.legal_rep,
            "address": f.address,
            "registered_on": f.registered_on,
        }
        for f in firms
    ]
    return pa.Table.from_pylist(rows, schema=SCHEMAS["enterprises"])


def by_definition(values: list[str | None]) -> str:
    """The written definition: every value's length (4 bytes, little-endian, -1 for none), then the values."""
    lengths = b"".join(struct.pack("<i", -1 if v is None else len(v.encode())) for v in values)
    return hashlib.sha256(lengths + b"".join((v or "").encode() for v in values)).hexdigest()


def test_each_column_digest_is_its_lengths_then_its_utf8_values() -> None:
    table = firm_table(FIRMS)
    digests = column_digests(table)
    assert digests["name"] == by_definition(["厦门某某有限公司", "广州\n换行合作社"])
    assert digests["legal_rep"] == by_definition(["王五", ""])
    assert digests["registered_on"] == by_definition(["2005-06-01", None])
    assert digests["uscc"] == hashlib.sha256(struct.pack("<ii", 18, 18) + b"".join(
        f.uscc.encode() for f in FIRMS)).hexdigest()  # fmt: skip
    # however the table is cut into chunks
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=1), schema=table.schema)
    assert column_digests(chunked) == digests and column_digests(table.slice(1)) != digests


def test_the_stream_round_trips_with_the_same_bytes_and_refuses_other_columns() -> None:
    table = firm_table(FIRMS * 3)
    first, second = io.BytesIO(), io.BytesIO()
    write_stream(table, first)
    write_stream(pa.Table.from_batches(table.to_batches(max_chunksize=2)), second)
    assert first.getvalue() == second.getvalue()
    assert read_stream(io.BytesIO(first.getvalue()), "enterprises").equals(table)
    with pytest.raises(VerificationError, match="tiers do not have the expected columns"):
        read_stream(io.BytesIO(first.getvalue()), "tiers")
    with pytest.raises(VerificationError, match="cannot be read as columns"):
        read_stream(io.BytesIO(first.getvalue()[:-40]), "enterprises")


def test_the_columns_read_back_are_the_firms_and_their_tiers() -> None:
    firms = firm_columns(firm_table(FIRMS))
    assert list(firms) == FIRMS and firms.districts == ("350203", "440101")
    tiers = [
        TierRecord("91440101MA5CJQ4N59", Tier.D, date(2025, 1, 1), "B-2"),
        TierRecord("91350200776049653A", Tier.A, date(2024, 7, 1), "B-1"),
    ]
    rows = [{"uscc": t.uscc, "tier": t.tier.value, "effective": t.effective, "batch": t.batch} for t in tiers]
    columns = tier_columns(pa.Table.from_pylist(rows, schema=SCHEMAS["tiers"]))
    assert list(columns) == sorted(tiers, key=lambda t: t.uscc)
    odd = firm_table(FIRMS).set_column(2, "kind", pa.array(["enterprise", "robot"]))
    with pytest.raises(VerificationError, match="unknown kind of firm"):
        firm_columns(odd)


def test_digests_and_stream_are_the_same_however_the_rows_arrive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows given a few at a time, values spilled to disk: the same digests and the same stream bytes as the
    whole table at once."""
    monkeypatch.setattr(column_digest, "SPOOL_BYTES", 64)  # every column's values go to a file
    monkeypatch.setattr(snapshot_columns, "BATCH_ROWS", 4)
    table = firm_table(FIRMS * 5)
    digests = ColumnDigests(table.schema)
    streamed, whole = io.BytesIO(), io.BytesIO()
    with StreamWriter(streamed, table.schema) as writer:
        for start in (0, 3, 4, 9):
            piece = table.slice(start, {0: 3, 3: 1, 4: 5, 9: 1}[start])
            digests.update(piece)
            writer.write(piece)
    write_stream(table, whole)
    assert digests.rows == 10 and digests.finish() == column_digests(table)
    assert streamed.getvalue() == whole.getvalue()
    assert [b.num_rows for b in read_batches(io.BytesIO(whole.getvalue()), "enterprises")] == [4, 4, 2]


def test_the_draw_columns_refuse_rows_out_of_credit_code_order() -> None:
    builder = FirmBuilder()
    builder.add(firm_table(FIRMS))
    with pytest.raises(VerificationError, match="not in credit-code order"):
        builder.add(firm_table(FIRMS[:1]))  # a code not after the last one given
    tiers = TierBuilder()
    row = {"uscc": FIRMS[0].uscc, "tier": "A", "effective": date(2025, 1, 1), "batch": "B-1"}
    tiers.add(pa.Table.from_pylist([row], schema=SCHEMAS["tiers"]))
    with pytest.raises(VerificationError, match="not in credit-code order, one each"):
        tiers.add(pa.Table.from_pylist([row | {"batch": "B-2"}], schema=SCHEMAS["tiers"]))
    # vocabularies met in any order end sorted
    later = FirmBuilder()
    later.add(firm_table(FIRMS[:1]).set_column(3, "district", pa.array(["zz"])))
    later.add(firm_table(FIRMS[1:]).set_column(3, "district", pa.array(["aa"])))
    found = later.finish(lambda i: ("", "", "", None))
    assert found.districts == ("aa", "zz") and list(found.district) == [1, 0]
