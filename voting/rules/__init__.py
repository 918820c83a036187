"""The selection's rules, read from the database: eligibility, results, permissions (every ``can_*``
predicate and SQL-scoped list query), validation of identifiers, names frozen on decisions, and the
certification port (:mod:`voting.rules.certification`) through which they read certificates.

May import: voting.models, voting.core. Never imports operations, views, forms or Flask's request.
"""
