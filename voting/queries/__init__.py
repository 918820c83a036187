"""Read-only queries that gather what a page lists across rounds: the work queues of the home pages.

They take the acting user, count in SQL (grouped, never one query per row) and write nothing; the
texts they stand for are in the templates.
"""
