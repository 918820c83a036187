"""The view's end of a request's transaction: commit what the operations flushed, or refuse.

Operations flush and never commit; the view commits once. A refusal (:class:`DomainError`) rolls
back everything the request wrote and flashes the translated message, so that a half-done change
never reaches the database.
"""
from contextlib import contextmanager

from flask import flash

from voting.core.errors import DomainError
from voting.extensions import db
from voting.views.domain_messages import flash_domain_error


class Outcome:
    """What :func:`committing` did: ``ok`` after the commit, ``error`` (the refusal) after a rollback."""

    ok = False
    error = None


@contextmanager
def committing(success=None, refused=flash_domain_error):
    """Run the block's operations in the request's transaction; commit and flash ``success``, or, on a
    :class:`DomainError`, roll back and report it with ``refused(error)`` (the translated flash).

    ``with committing(_("Đã lưu.")) as outcome: operation(...)``, then ``outcome.ok`` says which.
    Other exceptions are not caught: the error handlers roll back and answer 500.
    """
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        db.session.rollback()
        outcome.error = error
        if refused is not None:
            refused(error)
        return
    db.session.commit()
    outcome.ok = True
    if success is not None:
        flash(success, "success")
