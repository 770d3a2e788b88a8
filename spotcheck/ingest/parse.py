"""Parse one input file of a known kind into domain records, collecting every problem (never stopping early).

``parse_file`` checks the header, each row's cells, and duplicate keys; references to other files are
checked by ``references.check`` so the caller can look them up in a folder or in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from spotcheck.domain.errors import Problem, ValidationError
from spotcheck.ingest.cells import Cells, Normalised
from spotcheck.ingest.columns import COLUMNS, KEYS, resolve_header
from spotcheck.ingest.fast_parse import FAST_KINDS, fast_records
from spotcheck.ingest.rows import BUILDERS, Record
from spotcheck.ingest.sources import open_table

__all__ = ["Parsed", "Progress", "key_of", "parse_file"]

# progress(label, rows read so far): called after every chunk of CHUNK rows and once at the end.
Progress = Callable[[str, int], None]
CHUNK = 50_000


@dataclass
class Parsed:
    kind: str
    path: Path
    records: list[tuple[int, Record]] = field(default_factory=list)  # (line, record), in file order
    problems: list[Problem] = field(default_factory=list)
    normalised: list[Normalised] = field(default_factory=list)

    def raise_if_bad(self) -> None:
        if self.problems:
            problems = sorted(self.problems, key=lambda p: (p.line or 0, p.field or ""))
            raise ValidationError(
                f"{self.path.name}: {len(problems)} problem(s); nothing was imported", problems
            )


def key_of(kind: str, record: Record) -> tuple[object, ...]:
    return tuple(getattr(record, name) for name in KEYS[kind])


def parse_file(kind: str, path: Path, *, progress: Progress | None = None) -> Parsed:
    """Read ``path`` as file kind ``kind`` (a key of ``columns.COLUMNS``); problems are returned, not raised,
    except when the header itself is unusable."""
    if kind not in COLUMNS:
        raise ValidationError(f"unknown file kind {kind!r}; expected one of {', '.join(COLUMNS)}")
    parsed = Parsed(kind, Path(path))
    label = parsed.path.name
    if kind in FAST_KINDS:  # columns first; any row the fast checks refuse is read again row by row below
        records = fast_records(kind, parsed.path)
        if records is not None:
            parsed.records = records
            if progress is not None:
                progress(label, len(records))
            return parsed
    seen: dict[tuple[object, ...], int] = {}
    with open_table(parsed.path) as table:
        positions, header_problems = resolve_header(kind, table.header)
        if header_problems:
            raise ValidationError(f"{label}: bad header; nothing was imported", header_problems)
        # Trailing empty header cells (spreadsheets) do not count: a value under them is refused below.
        width = max((i + 1 for i, h in enumerate(table.header) if h.strip()), default=0)
        count = 0
        lines: list[int] = []
        rows: list[list[str]] = []
        for line, values in table.rows():
            count += 1
            if len(values) < width:
                values += [""] * (width - len(values))
            elif len(values) > width and any(values[width:]):
                parsed.problems.append(
                    Problem(line, None, f"{len(values)} cells but the header has {width} columns")
                )
                continue
            lines.append(line)
            rows.append(values)
            if len(rows) == CHUNK:
                _build(parsed, positions, lines, rows, seen)
                lines, rows = [], []
                if progress is not None:
                    progress(label, count)
        _build(parsed, positions, lines, rows, seen)
        if progress is not None:
            progress(label, count)
    return parsed


def _build(
    parsed: Parsed,
    positions: dict[str, int],
    lines: list[int],
    rows: list[list[str]],
    seen: dict[tuple[object, ...], int],
) -> None:
    """Convert one chunk column by column; keep the good records that are not duplicates."""
    if not rows:
        return
    transposed = list(zip(*rows, strict=False))
    columns = {name: list(transposed[index]) for name, index in positions.items()}
    cells = Cells(lines, columns, parsed.problems, parsed.normalised)
    records = BUILDERS[parsed.kind](cells)
    key_names = KEYS[parsed.kind]
    single = key_names[0] if len(key_names) == 1 else None
    for row, record in enumerate(records):
        if row in cells.bad:
            continue
        key = (getattr(record, single),) if single else tuple(getattr(record, n) for n in key_names)
        first = seen.get(key)
        if first is not None:
            shown = ", ".join(str(k) for k in key)
            parsed.problems.append(
                Problem(lines[row], key_names[0], f"duplicate {shown} (first on line {first})")
            )
            continue
        seen[key] = lines[row]
        parsed.records.append((lines[row], record))
