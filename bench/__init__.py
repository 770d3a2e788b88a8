"""Benchmarks: not part of the test gate. Each ``bench_*.py`` has ``run(results_dir, quick)``; results go to files."""
