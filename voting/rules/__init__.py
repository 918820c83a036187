"""The selection's rules, read from the database: eligibility, results, permissions (every ``can_*``
predicate and SQL-scoped list query), validation of identifiers, names frozen on decisions.

May import: voting.models, voting.core. Never imports operations, views, forms or Flask's request.
"""
