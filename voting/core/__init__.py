"""Infrastructure every part of the platform uses: storage, cache, mail, background jobs, locking,
clock, text, passwords, the PDF engine, security headers and hosts, request logging, error reporting.

May import: voting.extensions, voting.models (for sessions, jobs and audit rows), Flask and libraries.
Never imports rules, operations, documents, views, forms, demo or certificates.
"""
