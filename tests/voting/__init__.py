"""Tests of the selection (voting/): its rules, operations, documents, pages and demo."""
