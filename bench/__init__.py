"""Benchmarks run from the checkout with ``make bench``; not part of the installed package.

Speed is measured, not assumed: each benchmark times the platform against a
baseline measured in the same run and prints the ratio, since absolute figures
drift from one run to the next on a shared machine.
"""
