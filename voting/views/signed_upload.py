"""The page on which an office uploads a document it signed with its own tools: a decision, minutes, the founding
decision (:mod:`voting.operations.signed_documents`) or a certificate (:mod:`certificates.operations.signed_copies`).

Done, it goes back with a message; refused, the page shows again with why, and for a decision or minutes the facts
the platform records beside whether the copy carries them (400).
"""
from flask import abort, redirect, render_template
from flask_babel import gettext as _

from voting.forms.signed import SignedUploadForm
from voting.models import FileKind
from voting.views.domain_messages import domain_message
from voting.views.files import upload_limits
from voting.views.transactions import committing


def signed_upload_page(accept, *, heading, subject, back, done, facts=()):
    """GET: the form; POST: ``accept(data)`` in the request's transaction.

    :param accept: the operation, given the file's bytes.
    :param facts: the :class:`~voting.rules.signed_facts.Fact` list the copy must carry (shown before upload).
    """
    form = SignedUploadForm()
    limit = upload_limits()[FileKind.DOCUMENT]
    if not form.is_submitted():
        return _page(form, heading, subject, facts, None, back, limit), 200
    if not form.validate():
        if form.csrf_token.errors:
            abort(400)
        return _page(form, heading, subject, facts, None, back, limit), 400
    data = form.document.data.read(limit + 1)
    if len(data) > limit:  # the request's limit has room for the form's fields: the file itself is held to this
        form.document.errors.append(_("Tệp lớn hơn %(mb)d MB.", mb=limit // (1024 * 1024)))
        return _page(form, heading, subject, facts, None, back, limit), 400
    refusals = []
    with committing(done, refused=refusals.append) as outcome:
        accept(data)
    if outcome.ok:
        return redirect(back)
    compared = getattr(refusals[0], "compared", None)
    form.document.errors.append(domain_message(refusals[0]))
    return _page(form, heading, subject, facts, compared, back, limit), 400


def _page(form, heading, subject, facts, compared, back, limit):
    return render_template("signed_upload.html", form=form, heading=heading, subject=subject, facts=facts,
                           compared=compared, back=back, max_mb=limit // (1024 * 1024))
