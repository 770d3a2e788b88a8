"""Where to look for firms whose name contains a text, cheapest first (docs/formats.md "Firm-name search").

On PostgreSQL, migration 0011 indexes every name's character bigrams: a GIN index on ``name_bigrams(name)``, an
SQL function giving the name's two-character pieces as ``text[]``, compared by bytes (``COLLATE "C"``, migration
0012: the cheapest comparison to build the index with). A large import builds it after its commit
(``store.bulk_indexes``); until it is there, the same condition reads every name (correct, slower). A name that contains the text holds each of
the text's bigrams, so ``name_bigrams(name) @> bigrams(text)`` finds through the index every name that may
contain it (two characters included, which a trigram index cannot serve), and ``strpos(name, text) <> 0`` keeps
exactly those that do. The index reads the lists of all the text's bigrams, which is quick when one of them is
rare and slow when each is common (临沂, 有限: most firms). A text whose bigrams are all common, by the element
statistics ANALYZE keeps on the index, is first looked for in the first ``HEAD_ROWS`` firms as stored: a common
word fills a capped page there after a few thousand rows. On SQLite (and for a one-character text) ``LIKE``
scans the directory.

    for matches in capped_matches(session, "兰山", cap=1000):
        ...  # select from ``matches`` (EnterpriseRow's columns, at most ``cap`` rows)
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Subquery, Text, bindparam, func, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from spotcheck.store.tables import EnterpriseRow

__all__ = ["HEAD_ROWS", "INDEX", "bigrams", "capped_matches"]

INDEX = "ix_enterprises_name_bigrams"  # migrations 0011 and 0012 (PostgreSQL)
HEAD_ROWS = 50_000  # firms read as stored before the index, for a text whose bigrams are all common
MOST = 0.1  # a bigram in this share of the names narrows a search too little to read its list in the index

_FREQUENCIES = text(
    "SELECT e, f FROM pg_stats, unnest(most_common_elems::text::text[], most_common_elem_freqs) AS u(e, f) "
    "WHERE schemaname = current_schema() AND tablename = :index AND e = ANY(:pieces)"
).bindparams(bindparam("pieces", type_=ARRAY(Text)))


def bigrams(text: str) -> list[str]:
    """The distinct two-character pieces of ``text``, sorted: what ``name_bigrams`` gives for it in the database
    (characters are code points on both sides), without repeats. Empty for fewer than two characters."""
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


def capped_matches(session: Session, text: str, *, cap: int) -> list[Subquery]:
    """Subqueries of at most ``cap`` firms whose name contains ``text`` literally (``%``, ``_`` and ``\\`` in it
    match themselves), cheapest first: use the first that holds ``cap`` rows, or else the last (which holds
    every match, up to ``cap``)."""
    pieces = bigrams(text)
    if session.get_bind().dialect.name != "postgresql" or not pieces:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = EnterpriseRow.name.like(f"%{escaped}%", escape="\\")
        return [select(EnterpriseRow).where(like).limit(cap).subquery()]
    stats = session.execute(_FREQUENCIES, {"index": INDEX, "pieces": pieces})
    shares = {str(piece): float(share) for piece, share in stats}
    common = HEAD_ROWS * min(shares.get(p, 0.0) for p in pieces) >= cap  # each bigram in 1 name of 50 or more
    # The index is not asked for a bigram in most names (临沂, 有限) when the text has others: its long list adds
    # time and hardly narrows the match, which strpos decides anyway.
    asked = [p for p in pieces if shares.get(p, 0.0) < MOST] or pieces
    # strpos, not LIKE: the planner takes it to keep nearly every row, so its estimate of the matches is the
    # index's own, not that times a LIKE's estimate of the same condition (which would make a common word look
    # rare, and read its long lists in the index).
    # in the index's collation (bytes, migration 0012), or the index cannot answer it
    indexed = func.name_bigrams(EnterpriseRow.name, type_=Text).collate(
        "C"
    )  # (text[]: SQLAlchemy collates text)
    has_pieces: ColumnElement[bool] = indexed.op("@>", is_comparison=True)(literal(asked, ARRAY(Text)))
    whole = select(EnterpriseRow).where(has_pieces, func.strpos(EnterpriseRow.name, text) != 0)
    places = [whole.limit(cap).subquery()]
    if common:  # a common word: the firms stored first are likely to hold a capped page of it
        head = select(EnterpriseRow).limit(HEAD_ROWS).subquery()
        found = select(head).where(func.strpos(head.c.name, text) != 0).limit(cap).subquery()
        places.insert(0, found)
    return places
