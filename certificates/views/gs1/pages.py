"""GS1 Digital Link: ``/01/<gtin>[/...]`` (at the root, as GS1 Digital Link wants it) answers 307 to the
certified product's registry page, or 404 when no certified product carries that GTIN.
"""
from flask import redirect, render_template, url_for
from sqlalchemy import exists, or_, select

from certificates.models import Certificate, ImportedCertificate
from certificates.registry.slugs import product_slug
from certificates.views.registry.records import GTIN_LENGTHS, SHOWN_REF
from voting.core.access import public
from voting.extensions import db
from voting.models import Application, Product




def gtin_check_digit_ok(digits):
    """The GS1 mod-10 check: weights 3 and 1 alternate from the digit left of the check digit."""
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def normalise_gtin(text):
    """The GTIN-14 form of an 8, 12, 13 or 14-digit GTIN with a valid check digit, else None."""
    if not (text.isascii() and text.isdigit() and len(text) in GTIN_LENGTHS):
        return None
    return text.zfill(14) if gtin_check_digit_ok(text) else None


def product_by_gtin(gtin14):
    """The certified product whose GTIN (stored in any of its lengths) is ``gtin14``; the oldest if several."""
    stored_forms = [gtin14[-n:] for n in GTIN_LENGTHS if set(gtin14[:-n]) <= {"0"}]
    certified = or_(
        exists().where(Application.product_id == Product.id, Certificate.application_id == Application.id),
        exists().where(ImportedCertificate.product_id == Product.id))
    return db.session.scalars(select(Product).where(Product.gtin.in_(stored_forms), certified)
                              .order_by(Product.id).limit(1)).first()


@public
def resolve(gtin, rest):
    """GS1 Digital Link: a product's GTIN to its page in the registry."""
    gtin14 = normalise_gtin(gtin)
    found = product_by_gtin(gtin14) if gtin14 else None
    if found is None:
        return render_template("registry/gtin_not_found.html", gtin=gtin[:SHOWN_REF], valid=gtin14 is not None), 404
    return redirect(url_for("registry.product", ref=product_slug(found)), 307)
