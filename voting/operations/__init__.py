"""Domain writes: verb-named functions that take the acting user.

An operation flushes and records an audit event; it never commits. The view, the
CLI command or the job runner that calls it commits once, so a request is all or nothing.

Operations may import
voting.models, voting.rules, voting.core and voting.documents; never views, forms, flask.request or
current_user, and never certificates (voting asks it through voting.rules.certification).
"""
