"""Benchmarks run against baselines in the same process and run (SPEC §10)."""
