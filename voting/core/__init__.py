"""Infrastructure every part of the platform uses: storage, cache, mail, background jobs, locking,
clock, text, passwords, the PDF engine, uploads, security headers and hosts, request logging, error
reporting, backups, labels of stored codes.

May import: voting.extensions, voting.models, Flask and libraries. Three modules tie infrastructure
to the domain and reach further: login sessions and backups call operations
(sessions, the audit chain) and the certification port, and the points filter uses the results'
rounding rule. Never imports documents, views, forms, demo or certificates (tests/test_house_rules.py).
"""
