"""Benchmarks: ``make bench`` (``python -m bench``) prints throughput numbers.

Speed is measured here, never asserted in timed tests.
"""
