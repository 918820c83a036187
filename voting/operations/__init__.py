"""Domain writes: verb-named functions that take the acting user.

An operation flushes and records an audit event; it never commits. The view
or CLI command that calls it commits once, so a request is all or nothing.
"""
