"""Helpers shared by test modules: a test module imports from here (or tests/helpers.py,
tests/factories.py), never from another test module (tests/test_layout_rules.py)."""
