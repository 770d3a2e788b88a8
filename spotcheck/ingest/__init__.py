"""Reading input files (docs/formats.md): CSV or XLSX, English or Chinese headers, every bad row reported.

parse_file(kind, path)        -> Parsed (records with line numbers, problems, normalised codes)
check_references(parsed, lookup)  cross-file references, against a folder or the database
load_city(folder, as_of=...)  -> City (sorted, validated, plan.json included)
parse_plan(dict) / plan_to_dict(plan)   plan.json <-> Plan, ratios as decimal strings
"""

from spotcheck.ingest.cells import Normalised
from spotcheck.ingest.city import find_file, load_city, read_plan
from spotcheck.ingest.columns import COLUMNS, FILE_NAMES, KEYS, KINDS
from spotcheck.ingest.parse import Parsed, Progress, key_of, parse_file
from spotcheck.ingest.plan import check_plan, decimal_string, parse_plan, plan_problems, plan_to_dict
from spotcheck.ingest.references import Lookup, check_references, lookup_in
from spotcheck.ingest.tiers import in_force, quarter_end, quarter_start

__all__ = [
    "COLUMNS",
    "FILE_NAMES",
    "KEYS",
    "KINDS",
    "Lookup",
    "Normalised",
    "Parsed",
    "Progress",
    "check_plan",
    "check_references",
    "decimal_string",
    "find_file",
    "in_force",
    "key_of",
    "load_city",
    "lookup_in",
    "parse_file",
    "parse_plan",
    "plan_problems",
    "plan_to_dict",
    "quarter_end",
    "quarter_start",
    "read_plan",
]
