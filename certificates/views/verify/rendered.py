"""Scan pages rendered once per state: the HTML of ``/v/<token>`` kept a minute in each worker.

A certificate on a shop's shelf is scanned again and again, and its page is the same every time
except for the moment it was checked. A kept page is found from what the verification API reads
(:func:`certificates.rules.verification.verify_facts`: the status as of today and every public column of the
certificate: its status, reason, dates, replacement, facts, authority and file) and its product's photo, read in
the same statement (:func:`scan_state`), with the language, the day and the path;
so a suspension, revocation, replacement, expiry or a photo published shows on the very next scan, and
the page is served without loading the certificate, its product or its lineage. What these statements
do not read (a certificate of a higher level added to the lineage, a province renamed by an
administrator) shows within ``SECONDS``.
The page's own weak ETag is kept with it. Only anonymous requests are kept (a signed-in user's menu
carries a form token). Each app keeps its own pages.
"""
import hashlib
import secrets

from cachelib import SimpleCache
from flask import current_app
from markupsafe import escape
from sqlalchemy import func, select

from certificates.models import Certificate, ImportedCertificate
from certificates.rules.verification import FACTS_QUERY, verify_facts_row
from voting.models import Application, FileKind, Product, ProductFile

SECONDS = 60
#: Pages kept per worker (about 15 KB each).
PAGES = 1024
#: Stands for the moment of the check in a rendered page; random, so no certificate's text can hold it.
CHECKED_AT = f"cnnt-checked-at-{secrets.token_hex(8)}"


#: The certified product's publication and first photo (what :func:`~certificates.views.verify.pages.published_photo`
#: shows): the product issued here (its application's) or re-issued from paper (the one the paper certificate names).
_PHOTO_COLUMNS = (
    Product.published_at.label("product_published_at"),
    select(ProductFile.sha256).where(ProductFile.product_id == Product.id, ProductFile.kind == FileKind.PHOTO)
    .order_by(ProductFile.id).limit(1).scalar_subquery().label("photo_sha256"),
)


#: The verification API's statement (:data:`~certificates.rules.verification.FACTS_QUERY`) with the photo's
#: columns after its own: one statement where there were two (in-process on 20,000 rows, SQLite, mostly kept pages:
#: 1.36 -> 1.26 ms of CPU a scan page, three runs each way).
SCAN_QUERY = (
    FACTS_QUERY.add_columns(*_PHOTO_COLUMNS)
    .outerjoin(Application, Application.id == Certificate.application_id)
    .outerjoin(ImportedCertificate, ImportedCertificate.id == Certificate.imported_certificate_id)
    .outerjoin(Product, Product.id == func.coalesce(Application.product_id, ImportedCertificate.product_id))
)


def scan_state(token, today):
    """``(verification, photo)`` of a scan, in one statement: the verification API's answer
    (:func:`~certificates.rules.verification.verify_facts`) and the SHA-256 of the photo the page shows (the
    certified product's first, once the producer has published the product), or ""."""
    verification, row = verify_facts_row(token, today, query=SCAN_QUERY)
    # No row: answered the full way, which finds a genuine certificate only where this statement does (the same
    # number and digest, its key): what it answers (forged, not found) shows no photo.
    if row is None or row.product_published_at is None:
        return verification, ""
    return verification, row.photo_sha256 or ""


def _pages():
    pages = current_app.extensions.get("scan_pages")
    if pages is None:
        pages = current_app.extensions["scan_pages"] = SimpleCache(threshold=PAGES, default_timeout=SECONDS)
    return pages


def _key(state):
    return hashlib.sha256("\x1f".join(state).encode()).hexdigest()


def kept_page(state):
    """``(etag, html)`` kept for ``state`` (the texts that together name what the page shows), or None."""
    return _pages().get(_key(state))


def keep_page(state, etag, html):
    """Keep ``html`` (rendered with :data:`CHECKED_AT` for the moment of the check) and its ETag."""
    _pages().set(_key(state), (etag, html))


def with_checked_at(html, checked_at):
    """The page with the moment of this check put in."""
    return html.replace(CHECKED_AT, str(escape(checked_at)))
