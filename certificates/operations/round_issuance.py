"""Issuing a whole round in steps that its runner (:func:`certificates.jobs.issue_round`) commits one by one.

Each batch is numbered and signed under the authority's counter, then rendered with no transaction open
and stored under the round's lock: two issuers of one round take turns batch by batch, and what one
has done the other skips. The building blocks are those of :mod:`certificates.operations.issuance`.
"""
from functools import cached_property

from flask import current_app
from sqlalchemy import inspect, select

from certificates.models import Certificate
from certificates.operations.issuance import (
    ENTRY_FACTS,
    check_can_issue,
    document_for,
    issue_batch,
    pending_entries,
    start_certifying,
    store_pdfs,
)
from certificates.operations.keys import current_signer
from voting.core.locking import lock_row
from voting.extensions import db
from voting.models import DecisionEntry, Round
from voting.operations.audit import record_event


class Issuance:
    """A round's issuance under way: what is left to render and to number (see :func:`start_issuance`)."""

    def __init__(self, actor, round_, today, decision, entries, unrendered):
        self.actor, self.round, self.today, self.decision = actor, round_, today, decision
        self.entries, self.unrendered = entries, unrendered

    @cached_property
    def signer(self):
        """The signing key, read when first needed: after the round's start is committed, as before."""
        return current_signer(current_app)

    @property
    def total(self):
        return len(self.unrendered) + len(self.entries)

    def to_render(self, certificates):
        """Step 2 of a batch, read: ``(certificate id, CertificateDoc)`` for ``certificates`` without a PDF.

        Read without a lock, so that the runner can end the transaction and render with none open: on
        SQLite the round's lock is the database's single write lock, which a rendering would hold for
        seconds (every other writer, of any round, waiting on it). :meth:`keep_rendered` checks again.
        """
        if not certificates:
            return []
        return [(c.id, document_for(c)) for c in _unstored([c.id for c in certificates])]

    def keep_rendered(self, rendered):
        """Step 2 of a batch, write: store ``(certificate id, RenderedPdf)`` for those nobody has stored
        meanwhile, under the round's lock (a PDF is stored and its SHA-256 recorded once, never
        overwritten by a second issuer's); return the certificates stored."""
        if not rendered:
            return []
        lock_row(Round, self.round.id)
        pdfs = dict(rendered)
        unstored = _unstored(list(pdfs))
        store_pdfs([(c, pdfs[c.id]) for c in unstored])
        _record_stored(self.actor, unstored)
        return unstored

    def number(self, entries):
        """Step 1 of a batch: number, snapshot and sign ``entries`` not issued yet; return the certificates."""
        return issue_batch(self.actor, self.round, self.decision, _still_pending(self.round, entries),
                            self.signer, self.today, render=False)


def start_issuance(actor, round_, today):
    """Check that the round's certificates may be issued, mark it certifying, and return its
    :class:`Issuance`; flushed, the caller commits.

    The runner (:func:`certificates.jobs.issue_round`) then commits after each step of each batch:
    first the numbers, snapshots and signed tokens (the authority's counter is locked only that
    long), then the PDFs, rendered with no transaction open and stored under the round's lock. A run
    interrupted between the two leaves certificates without a PDF (``unrendered``), which the next
    run renders first.

    :raise PreconditionFailed: results not published, complaint window open, complaints unanswered.
    """
    check_can_issue(actor, round_, today)
    decision, entries = pending_entries(round_)
    start_certifying(actor, round_, decision)
    db.session.flush()
    unrendered = db.session.scalars(select(Certificate).where(
        Certificate.round_id == round_.id, Certificate.pdf_storage_name.is_(None))
        .order_by(Certificate.sequence)).all()
    return Issuance(actor, round_, today, decision, entries, unrendered)


def _still_pending(round_, entries):
    """``entries`` without a certificate yet, read under the round's lock: two people issuing one
    round at once take turns batch by batch, and the second skips what the first has issued.

    Read afresh with their facts in one go: the last commit expired them (touching each read it again).
    """
    lock_row(Round, round_.id)
    ids = [inspect(entry).identity[0] for entry in entries]  # the identity needs no query, unlike entry.id
    taken = select(Certificate.id).where(Certificate.application_id == DecisionEntry.application_id).exists()
    return db.session.scalars(
        select(DecisionEntry).where(DecisionEntry.id.in_(ids), ~taken).options(*ENTRY_FACTS)
        .order_by(DecisionEntry.rank).execution_options(populate_existing=True)).all()


def _unstored(certificate_ids):
    """The certificates among ``certificate_ids`` that have no PDF yet, in number order, read afresh: another
    issuer may have stored one since this session last looked."""
    fresh = db.session.scalars(select(Certificate).where(Certificate.id.in_(certificate_ids))
                               .order_by(Certificate.sequence).execution_options(populate_existing=True)).all()
    return [c for c in fresh if c.pdf_storage_name is None]


def _record_stored(actor, certificates):
    for certificate in certificates:
        record_event(actor, "certificate.store_pdf", certificate,
                     data={"number": certificate.number, "pdf_sha256": certificate.pdf_sha256,
                           **({"pdf_signed_by": certificate.pdf_signed_by} if certificate.pdf_signed_by else {})})
