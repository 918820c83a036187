"""One certificate's page for the organisers of its round: its facts and status, and what they may do
with it (suspend, reinstate, revoke, correct), each in a section of its own that says what it does.

Issue 19: the four forms sat in a 175-px table cell of the round's list, with a reason preselected.
Each form posts to its own URL; done, it comes back to the certificate's page (a correction to the
certificate that replaces it); refused, the page shows again with what was typed and why (400).
"""
import json

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from certificates.forms import ReinstateForm, WithdrawForm, with_ids
from certificates.models import CertificateStatus, ReasonCategory
from certificates.operations.issuance import CORRECTABLE
from certificates.operations.lifecycle import correct_certificate, reinstate_certificate, revoke_certificate, suspend_certificate
from certificates.views.manage.pages import managed_certificate
from voting.core.access import organiser_required
from voting.core.clock import today_vn
from voting.forms.admin import ReasonForm
from voting.models import FileKind
from voting.views.files import upload_endpoint
from voting.views.signed_upload import signed_upload_page
from voting.views.transactions import committing

ACTIONS = {"suspend": suspend_certificate, "revoke": revoke_certificate}


@organiser_required
def certificate_view(certificate_id):
    certificate, round_ = managed_certificate(certificate_id)
    return _render(certificate, round_)


def _render(certificate, round_, status=200, correction=None, **forms):
    """The page, with blank forms but those given (as typed); ``correction``: a refused correction as typed."""
    from certificates.scans import scan_totals

    today = today_vn()
    blank = {"suspend": WithdrawForm(formdata=None), "revoke": WithdrawForm(formdata=None),
             "reinstate": ReinstateForm(formdata=None)}
    forms = {name: with_ids(form, name) for name, form in {**blank, **forms}.items()}
    printed = json.loads(certificate.snapshot)
    return render_template(
        "certificates/certificate.html", certificate=certificate, round=round_, status=certificate.status_on(today),
        facts=printed, forms=forms, correctable=CORRECTABLE, action_form=ReasonForm(formdata=None),
        typed=correction or {"values": {name: printed.get(name, "") for name in CORRECTABLE}, "reason": ""},
        correction_refused=correction is not None, scans=scan_totals([certificate.id], today).get(certificate.id, 0),
        key_compromised=certificate.reason_category == ReasonCategory.KEY_COMPROMISED,
        withdrawn=certificate.status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED)), status


def _back(certificate):
    return redirect(url_for("certs.certificate_view", certificate_id=certificate.id))


@organiser_required
def withdraw(certificate_id, action):
    """Suspend or revoke, for a reason chosen from the list and its details."""
    certificate, round_ = managed_certificate(certificate_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _render(certificate, round_, 400, **{action: form})
    done = {"suspend": _("Đã tạm đình chỉ giấy chứng nhận %(number)s.", number=certificate.number),
            "revoke": _("Đã thu hồi giấy chứng nhận %(number)s.", number=certificate.number)}[action]
    with committing(done) as outcome:
        ACTIONS[action](current_user, certificate, form.category.data, form.reason.data)
    return _back(certificate) if outcome.ok else _render(certificate, round_, 400, **{action: form})


@organiser_required
def reinstate(certificate_id):
    certificate, round_ = managed_certificate(certificate_id)
    form = ReinstateForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _render(certificate, round_, 400, reinstate=form)
    with committing(_("Giấy chứng nhận %(number)s có hiệu lực trở lại.", number=certificate.number)) as outcome:
        reinstate_certificate(current_user, certificate, form.reason.data)
    return _back(certificate) if outcome.ok else _render(certificate, round_, 400, reinstate=form)


@organiser_required
def correct(certificate_id):
    """Re-issue with a corrected fact; the old certificate is superseded and its QR says so."""
    certificate, round_ = managed_certificate(certificate_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    changes = {name: request.form.get(name, "") for name in CORRECTABLE}
    reason = request.form.get("reason", "")
    number = certificate.number
    with committing(_("Đã cấp giấy chứng nhận đính chính thay cho số %(number)s.", number=number)) as outcome:
        replacement = correct_certificate(current_user, certificate, changes, today_vn(), reason)
    if not outcome.ok:
        return _render(certificate, round_, 400, correction={"values": changes, "reason": reason})
    return _back(replacement)


@organiser_required
@upload_endpoint(FileKind.DOCUMENT)
def upload_signed_copy(certificate_id):
    """Upload the certificate's PDF signed with the office's own tools: kept and handed out in its place."""
    from certificates.operations.signed_copies import accept_signed_certificate

    certificate, _round = managed_certificate(certificate_id)
    product = json.loads(certificate.snapshot).get("product_name", "")
    return signed_upload_page(
        lambda data: accept_signed_certificate(current_user, certificate, data),
        heading=_("Tải lên giấy chứng nhận đã ký số"),
        subject=_("Giấy chứng nhận số %(number)s: %(product)s. Ký số trực tiếp trên tệp PDF tải về từ nền tảng.",
                  number=certificate.number, product=product),
        back=url_for("certs.certificate_view", certificate_id=certificate.id),
        done=_("Đã nhận bản ký số của giấy chứng nhận %(number)s; đó là bản được phát hành từ nay.",
               number=certificate.number))
