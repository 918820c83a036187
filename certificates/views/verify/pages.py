"""What a phone opens after scanning: ``/v/<token>``, its JSON twin, the certificate as image and PDF,
the "report a suspected fake" form, and the published keys.

The token is checked before the database is trusted (see
:mod:`certificates.rules.verification`); a forged token gets the same plain answer
whatever was changed in it. Every answer about a genuine certificate is
counted (:mod:`certificates.scans`: per certificate per day, nothing about
the scanner). Answers carry ``Cache-Control: no-cache`` and a weak ``ETag``
of the certificate's state, so a revalidation costs a few bytes and a
revocation shows on the next request.
"""
import hashlib
import io
import json
from datetime import date

from flask import abort, current_app, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.routing import BaseConverter

from certificates.operations.fake_reports import report_suspected_fake
from certificates.documents.public_copy import public_pdf
from certificates.rules.lineage import higher_certificates, lower_certificate
from certificates.scans import record_scan
from certificates.rules.signing import jwk_set
from certificates.rules.verification import status_payload, verify, verify_facts
from certificates.views.verify.rendered import CHECKED_AT, keep_page, kept_page, scan_state, with_checked_at
from voting.core.access import public
from voting.core.clock import today_vn
from voting.core.errors import DomainError
from voting.core.formatting import format_datetime_vn
from voting.core.login_sessions import may_be_signed_in
from voting.extensions import db, limiter
from certificates.forms import FakeReportForm
from voting.models import Application, FormerProvince, IssuingAuthority, Product, Province
from certificates.models import Certificate, ImportedCertificate, SigningKey
from voting.models.base import utcnow
from voting.core.pdf import ascii_filename
from voting.core.storage import storage
from voting.core.text import fold
from voting.views.errors import api_error, render_error
from voting.views.transactions import committing

#: Tokens are ~150 characters; anything far longer is refused before any work.
MAX_TOKEN = 512


class AnyTextConverter(BaseConverter):
    """Everything after the prefix, slashes and line breaks included (``path`` stops at a line break
    and refuses a leading slash): whatever a QR code held gets a verdict, never a routing 404."""

    regex = r"[\s\S]+"
    part_isolating = False


def _verify_limit():
    return current_app.config.get("VERIFY_RATE_LIMIT", "60 per minute")


def _report_limit():
    return current_app.config.get("REPORT_RATE_LIMIT", "5 per hour")


#: What the scan page shows of a certificate, loaded with it in one statement: its key and authority, its
#: replacement, the product with its photos (issued here, or a paper certificate that names it). The page
#: ran 11 statements; now 5 (test_verify_page).
PAGE_LOADS = (
    joinedload(Certificate.signing_key),
    joinedload(Certificate.authority),  # the key's owner too, when the authority signs with its own key
    joinedload(Certificate.superseded_by),
    joinedload(Certificate.application).joinedload(Application.product).joinedload(Product.files),
    joinedload(Certificate.imported_certificate).joinedload(ImportedCertificate.product)
    .joinedload(Product.files),
)
#: The same for an anonymous scan, whose product photo :func:`~certificates.views.verify.rendered.scan_state`
#: has already read: joining the product and every file of it cost about 1 ms of a fresh page's 8 (in-process).
SCAN_LOADS = PAGE_LOADS[:3]


def _verify(token, options=()):
    return verify(token if len(token) <= MAX_TOKEN else "", today_vn(), options)  # "" is malformed: forged


def _with_certificate(verification):
    """A genuine ``verification`` from :func:`scan_state` (signature, key and digest checked) with its certificate
    loaded by id with what the page shows: the key, the signature and the number are not looked up again
    (a page rendered afresh reads 6 statements, not 7). None when it is not genuine, or the row is gone."""
    if verification.facts is None:
        return None
    verification.certificate = db.session.get(Certificate, verification.facts.id, options=SCAN_LOADS)
    return verification if verification.certificate is not None else None


def _counted(verification):
    genuine = verification.certificate or verification.facts
    if genuine is not None:
        record_scan(genuine, today_vn())
    return verification


# What a genuine certificate shows ------------------------------------------------------------------

def certified_product(certificate):
    """The platform's product the certificate is for (issued here, or a paper one that names it)."""
    if certificate.application is not None:
        return certificate.application.product
    imported = certificate.imported_certificate
    return getattr(imported, "product", None) if imported is not None else None


def published_photo(certificate):
    """The product's first photo, only when the producer has published the product."""
    product = certified_product(certificate)
    if product is None or product.published_at is None or not product.photos:
        return None
    return product.photos[0]


_PROVINCE_NAMED = select(Province.id).where(Province.name_folded == bindparam("folded"))
_FORMER_PROVINCE_NAMED = select(FormerProvince).where(FormerProvince.name_folded == bindparam("folded"))


def province_names(facts):
    """``(current name, name at issue or None)``: the second only when the province was renamed or merged."""
    then = facts.get("province_name") or ""
    if not then:
        return "", None
    folded = fold(then)
    if db.session.scalar(_PROVINCE_NAMED, {"folded": folded}) is not None:
        return then, None
    former = db.session.scalar(_FORMER_PROVINCE_NAMED, {"folded": folded})
    if former is not None and former.current_province is not None:
        return former.current_province.name, then
    return then, None


def _key_owner(certificate):
    """The issuing authority whose own key signed the certificate, or None for the platform's key."""
    if certificate is None or certificate.signing_key.authority_id is None:
        return None
    authority = db.session.get(IssuingAuthority, certificate.signing_key.authority_id)
    return authority.name if authority is not None else None


def _photo_digest(certificate):
    """The SHA-256 of the photo the page shows (:func:`published_photo`), or ""."""
    photo = published_photo(certificate) if certificate is not None else None
    return photo.sha256 if photo is not None else ""


def _state_tag(verification, photo, *extra):
    """A weak ETag of everything the answer shows (never the time it was checked); ``photo``: the shown photo's
    SHA-256, or ""."""
    certificate = verification.certificate
    parts = [verification.status, *extra]
    if certificate is not None:
        replacement = certificate.superseded_by
        parts += [certificate.number, certificate.status, certificate.reason_category, certificate.reason,
                  str(certificate.status_changed_at), certificate.pdf_sha256 or "",
                  replacement.number if replacement is not None else "", photo]
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return digest


def _conditional(etag):
    """A 304 when the client already has this state."""
    if request.if_none_match and request.if_none_match.contains_weak(etag):
        response = current_app.response_class(status=304)
        _cache_headers(response, etag)
        return response
    return None


def _cache_headers(response, etag, vary=None):
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "no-cache"
    if vary:
        response.vary.add(vary)
    return response


@public
@limiter.shared_limit(_verify_limit, scope="verify")
def page(token):
    """The scan page. An anonymous reader's is found among the kept pages from two statements
    (:mod:`certificates.views.verify.rendered`); otherwise the certificate is loaded with what the page shows."""
    state = None
    if not may_be_signed_in():  # a signed-in reader's page carries their menu and form token: never kept
        quick, photo = scan_state(token if len(token) <= MAX_TOKEN else "", today_vn())
        _counted(quick)
        state = (quick.status, repr(quick.facts), photo, str(get_locale()), today_vn().isoformat(), request.full_path)
        kept = kept_page(state)
        if kept is not None:
            return _page_response(*kept)
        verification = _with_certificate(quick) or _verify(token, PAGE_LOADS)
    else:
        verification = _counted(_verify(token, PAGE_LOADS))
        photo = _photo_digest(verification.certificate)
    certificate = verification.certificate
    higher = higher_certificates(certificate) if certificate else []
    lower = lower_certificate(certificate) if certificate else None
    etag = _state_tag(verification, photo, "page", get_locale(), current_user.get_id() or "",
                      *[link.number for link in higher], lower.number if lower else "")
    not_modified = _conditional(etag)
    if not_modified is not None:
        return not_modified
    facts = json.loads(certificate.snapshot) if certificate else {}
    decision_on = date.fromisoformat(facts["decision_on"]) if facts.get("decision_on") else None
    province_now, province_then = province_names(facts)
    html = render_template(
        "certificates/verify.html", verification=verification, facts=facts, decision_on=decision_on,
        higher=higher, lower=lower, token=token if len(token) <= MAX_TOKEN else "",
        photo=photo,
        province_now=province_now, province_then=province_then, checked_at=CHECKED_AT,
        key=certificate.signing_key if certificate else None, key_owner=_key_owner(certificate))
    if state is not None:
        keep_page(state, etag, html)
    return _page_response(etag, html)


def _page_response(etag, html):
    """The page (rendered with :data:`CHECKED_AT`) with this check's moment, or a 304 for its ETag."""
    not_modified = _conditional(etag)
    if not_modified is not None:
        return not_modified
    response = current_app.make_response(with_checked_at(html, format_datetime_vn(utcnow())))
    return _cache_headers(response, etag, vary="Cookie")


@public
@limiter.shared_limit(_verify_limit, scope="verify")
def api(token):
    """The JSON answer, from one query (:func:`verify_facts`); its ETag is a digest of the answer itself
    without ``checked_at``, so any change a client could see (a revocation, a renamed authority, the
    date passing the expiry) changes it. Any text is judged (a forgery is "forged", 200); only a text
    longer than any token could be is refused, with a 400 as the OpenAPI document says."""
    if len(token) > MAX_TOKEN:
        return api_error(400, message=_("Tham số không hợp lệ."), error="bad_parameters",
                         errors={"token": _("Mã dài quá %(max)s ký tự.", max=MAX_TOKEN)})
    verification = _counted(verify_facts(token, today_vn()))
    payload = status_payload(verification, utcnow())
    stated = {name: value for name, value in payload.items() if name != "checked_at"}
    etag = hashlib.sha256(json.dumps(stated, sort_keys=True).encode()).hexdigest()[:32]
    response = _conditional(etag)
    if response is None:
        response = jsonify(payload)
        _cache_headers(response, etag)
    response.headers["Access-Control-Allow-Origin"] = "*"  # readable by any verifier app
    return response


def too_many_requests(error):
    """The JSON API answers 429 as JSON; the pages as the site's error page (a form keeps its text)."""
    if request.endpoint == "verify.api":
        return api_error(429, status="rate_limited")  # a verifier reading only ``status`` still understands
    if request.endpoint == "verify.report" and request.method == "POST":
        return _render_report(request.view_args.get("token", ""), FakeReportForm(), limited=True), 429
    return render_error(429)


# The certificate itself ---------------------------------------------------------------------------

def _genuine(token):
    certificate = _verify(token).certificate
    if certificate is None:
        abort(404)
    return certificate


def being_prepared(certificate, back=None):
    """The answer for a certificate whose PDF is not stored yet (an issuance still running, or stopped
    half-way and to be resumed): 503 with Retry-After and a page that says so, never a bare 404."""
    response = current_app.make_response((render_template("certificates/preparing.html", number=certificate.number,
                                                          back=back), 503))
    response.headers["Retry-After"] = "60"
    response.headers["Cache-Control"] = "no-store"
    return response


def _stored_or_404(certificate, what, read):
    """``read(certificate)``: a stored file of the certificate; 404 (and a logged error) when it is missing
    or altered, which only an operator can mend."""
    try:
        return read(certificate)
    except (OSError, DomainError) as error:
        current_app.logger.error("no %s for certificate %s: %s", what, certificate.number, error)
        abort(404)


@public
@limiter.shared_limit(_verify_limit, scope="verify")
def image(token):
    from certificates.documents.preview import certificate_png

    certificate = _genuine(token)
    if not certificate.pdf_storage_name:
        return being_prepared(certificate, back=url_for("verify.page", token=token))
    response = _stored_or_404(certificate, "image", lambda c: storage("certificates").send(
        certificate_png(c, today_vn()), mimetype="image/png"))
    response.headers["Cache-Control"] = "public, max-age=300"  # as the PDF: a withdrawal shows within minutes
    return response


@public
@limiter.shared_limit(_verify_limit, scope="verify")
def pdf(token):
    certificate = _genuine(token)
    if not certificate.pdf_storage_name:
        return being_prepared(certificate, back=url_for("verify.page", token=token))
    data = _stored_or_404(certificate, "PDF", lambda c: public_pdf(c, today_vn()))
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=False,
                         download_name=ascii_filename(f"giay-chung-nhan-{certificate.number}.pdf"))
    # Short: a certificate revoked this morning must not be served unstamped from a cache all day.
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@public
@limiter.shared_limit(_verify_limit, scope="verify")
def photo(token):
    from voting.views.files import send_product_file

    certificate = _verify(token).certificate
    record = published_photo(certificate) if certificate is not None else None
    if record is None:
        abort(404)
    return send_product_file(record, thumbnail=True)


# Báo cáo nghi ngờ hàng giả ---------------------------------------------------------------------------

def _render_report(token, form, limited=False):
    verification = _verify(token)
    product = json.loads(verification.certificate.snapshot).get("product_name") if verification.certificate else ""
    return render_template("certificates/report_fake.html", form=form, verification=verification,
                           product=product, token=token if len(token) <= MAX_TOKEN else "", limited=limited)


@public
@limiter.limit(_report_limit, methods=["POST"])
def report(token):
    form = FakeReportForm()
    if form.validate_on_submit():
        verification = _verify(token)
        code = verification.certificate.number if verification.certificate is not None else token
        with committing(refused=lambda _error: form.description.errors.append(
                _("Vui lòng mô tả điều bạn nghi ngờ."))) as outcome:
            report_suspected_fake(verification, code, form.where_seen.data, form.description.data,
                                  form.contact.data)
        if outcome.ok:
            return redirect(url_for("verify.report_sent", token=token if len(token) <= MAX_TOKEN else "-"))
    status = 400 if request.method == "POST" else 200
    return _render_report(token, form), status


@public
def report_sent(token):
    return render_template("certificates/report_sent.html",
                           back=url_for("verify.page", token=token) if len(token) <= MAX_TOKEN else None)


# Keys -----------------------------------------------------------------------------------------------

@public
def keys():
    """Every signing key ever used (active, retired and compromised), as a JWK set."""
    rows = db.session.scalars(select(SigningKey).order_by(SigningKey.id)).all()
    response = jsonify(jwk_set(rows))
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
