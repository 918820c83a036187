"""Scan pages rendered once per state: the HTML of ``/v/<token>`` kept a minute in each worker.

A certificate on a shop's shelf is scanned again and again, and its page is the same every time
except for the moment it was checked. A kept page is found from what the verification API reads in
one statement (:func:`certificates.rules.verification.verify_facts`: the status as of today and every
public column of the certificate: its status, reason, dates, replacement, facts, authority and file)
and a second for its product's photo, both on one connection (:func:`scan_state`), with the language, the day and the path;
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
from sqlalchemy import bindparam, func, select

from certificates.models import Certificate, ImportedCertificate
from certificates.rules.verification import reading_connection, verify_facts
from voting.models import Application, FileKind, Product, ProductFile

SECONDS = 60
#: Pages kept per worker (about 15 KB each).
PAGES = 1024
#: Stands for the moment of the check in a rendered page; random, so no certificate's text can hold it.
CHECKED_AT = f"cnnt-checked-at-{secrets.token_hex(8)}"


#: The certified product's publication and first photo (what :func:`~certificates.views.verify.pages.published_photo`
#: shows), by the certificate's id: issued here (its application's product) or re-issued from paper (the product
#: the paper certificate names).
PHOTO_QUERY = (
    select(Product.published_at,
           select(ProductFile.sha256).where(ProductFile.product_id == Product.id, ProductFile.kind == FileKind.PHOTO)
           .order_by(ProductFile.id).limit(1).scalar_subquery())
    .select_from(Certificate)
    .outerjoin(Application, Application.id == Certificate.application_id)
    .outerjoin(ImportedCertificate, ImportedCertificate.id == Certificate.imported_certificate_id)
    .join(Product, Product.id == func.coalesce(Application.product_id, ImportedCertificate.product_id))
    .where(Certificate.id == bindparam("certificate_id"))
)


def scan_state(token, today):
    """``(verification, photo)`` of a scan, read on one pooled connection (one ping of the pool): the
    verification API's answer (:func:`verify_facts`) and the SHA-256 of the photo the page shows (the certified
    product's first, once the producer has published the product), or ""."""
    with reading_connection() as connection:
        verification = verify_facts(token, today, connection)
        if verification.facts is None:
            return verification, ""
        row = connection.execute(PHOTO_QUERY, {"certificate_id": verification.facts.id}).first()
    published = row is not None and row[0] is not None
    return verification, (row[1] or "") if published else ""


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
