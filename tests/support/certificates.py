"""Certified rounds and issued certificates, and QR codes read back from a PDF as a phone reads them."""
import io
from datetime import timedelta

import pypdfium2
import zxingcpp
from PIL import Image, ImageFilter
from sqlalchemy import select

from certificates.jobs import issue_round
from tests.factories import make_deliberating_round
from tests.support.world_cache import shared_world
from voting.rules.signer import SignerBlock
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Round, StepOrder, User, ValidityFrom
from certificates.models import Certificate
from voting.operations.deliberation import publish_results, record_decision, record_vote

PASSING = [[34, 32, 8, 8], [35, 31, 8, 8], [33, 33, 8, 8]]


FAILING = [[20, 20, 5, 5]] * 3


@shared_world
def certify(app, make_user, entries=3, failing=1, close_window=True, round_settings=None):
    """A round with ``entries`` certified entries and ``failing`` failed ones, decided and published.

    With ``close_window`` the round runs in the rules' order: the council's vote is announced, the complaint
    window runs out with no complaint, then the authority decides. Without it the round decides first
    (``StepOrder.DECIDE_FIRST``) and is left with its complaint window open after the decision.
    """
    order = StepOrder.ANNOUNCE_FIRST if close_window else StepOrder.DECIDE_FIRST
    # Tests place certificates in time by the day they issue them (``issue_round(..., day)``), so these
    # rounds date certificates on issue; dating on the decision is tested on its own (test_certificates.py).
    hall = make_deliberating_round(app, make_user, [PASSING] * entries + [FAILING] * failing,
                                   round_settings={"step_order": order, "validity_from": ValidityFrom.ISSUE,
                                                   **(round_settings or {})})
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        chair, organiser = db.session.get(User, hall.chair.id), db.session.get(User, hall.organiser.id)
        decision = record_vote(chair, round_, today_vn(), 4, 4, 0, 0, "", today_vn())
        if close_window:
            publish_results(organiser, round_, today_vn())
            decision.complaints_close_on = today_vn() - timedelta(days=1)  # the window has run out
        record_decision(organiser, decision, f"{hall.round_id}05/QĐ-UBND", today_vn(), SignerBlock(
                            capacity="kt", head_title="Chủ tịch", title="Phó Chủ tịch", name="Nguyễn Văn Bình"),
                        today_vn())
        if not close_window:
            publish_results(organiser, round_, today_vn())
        db.session.commit()
    return hall


@shared_world
def certify_and_issue(app, make_user, **settings):
    """A round certified as :func:`certify` (``settings``: its arguments) with its certificates issued:
    ``(hall, [(id, number), ...])``. A shared world (tests/support/world_cache.py): the PDFs are rendered once."""
    hall = certify(app, make_user, **settings)
    return hall, issue_certificates(app, hall)


def issue_certificates(app, hall):
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        issue_round(db.session.get(User, hall.organiser.id), round_, today_vn())
        return [(c.id, c.number) for c in db.session.scalars(
            select(Certificate).where(Certificate.round_id == hall.round_id).order_by(Certificate.sequence))]


def decode_qr(pdf_bytes, dpi=150, blur=True):
    """Rasterise page 1, blur and JPEG-compress it like a phone photo, and decode every QR on it."""
    page = pypdfium2.PdfDocument(pdf_bytes)[0]
    image = page.render(scale=dpi / 72).to_pil().convert("RGB")
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(radius=1))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=60)
        image = Image.open(io.BytesIO(buffer.getvalue()))
    return [result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
