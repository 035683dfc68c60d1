"""Benchmarks: `python -m cleaner.bench quality DIR` and `python -m cleaner.bench speed`."""
