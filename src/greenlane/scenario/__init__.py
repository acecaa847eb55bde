"""Seeded synthetic worlds for demos, tests and benchmarks."""
