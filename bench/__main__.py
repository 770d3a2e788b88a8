"""Run benchmarks: ``python -m bench [NAME ...] [--quick]``; each writes its own file under bench/results/."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from pathlib import Path

import bench

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    parser = argparse.ArgumentParser(description="spotcheck benchmarks")
    parser.add_argument("only", nargs="*", help=f"subset of: {', '.join(n[6:] for n in names)}")
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the benchmarks run")
    args = parser.parse_args()
    chosen = [n for n in names if not args.only or n[6:] in args.only]
    unknown = set(args.only) - {n[6:] for n in names}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    RESULTS.mkdir(exist_ok=True)
    for name in chosen:
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").run(RESULTS, quick=args.quick)


if __name__ == "__main__":
    main()
