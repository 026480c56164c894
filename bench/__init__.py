"""Benchmarks and the synthetic bundle generator they run on (`python -m bench.generate --help`)."""
