"""The round's danh sách trích ngang as an .xlsx, labelled in the UI language."""
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from voting.core.clock import VIETNAM, today_vn
from voting.documents.exports import SummaryHeader, SummaryRow, build_summary_workbook
from voting.extensions import db
from voting.models import Application, ApplicationStatus


def _labels():
    if str(get_locale()) == "vi":
        return None  # the module's defaults are the official Vietnamese wording
    return {
        "stt": _("STT"), "entry_code": _("Mã số"), "product_name": _("Tên sản phẩm"),
        "group_name": _("Nhóm sản phẩm"), "producer_name": _("Tên cơ sở"), "producer_type": _("Loại hình"),
        "address": _("Địa chỉ"), "phone": _("Điện thoại"), "submitted_on": _("Ngày nộp"),
        "place_date": "{place}, {d:02d}/{m:02d}/{y}",
    }


def build_round_summary(round_):
    """Rows: the accepted entries, by entry code."""
    applications = db.session.scalars(select(Application).where(
        Application.round_id == round_.id, Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Application.entry_code)).all()
    rows = []
    for application in applications:
        product, producer = application.product, application.producer
        address = ", ".join(part for part in (producer.address, producer.commune.name if producer.commune else "",
                                              producer.province.name) if part)
        rows.append(SummaryRow(
            entry_code=application.entry_code, product_name=product.name, group_name=product.group.name,
            producer_name=producer.name, producer_type=producer.producer_type.name, address=address,
            phone=producer.phone,
            submitted_on=application.submitted_at.astimezone(VIETNAM).date() if application.submitted_at else None,
        ))
    authority = round_.authority
    header = SummaryHeader(
        parent_authority=(authority.parent_name if authority else "").upper(),
        authority=(authority.name if authority else "").upper(),
        title=_("DANH SÁCH TRÍCH NGANG SẢN PHẨM ĐĂNG KÝ BÌNH CHỌN"),
        subtitle=f"{round_.title} ({round_.year})",
        place=authority.place_name if authority else "",
        issued_on=today_vn(),
    )
    return build_summary_workbook(header, rows, _labels())
