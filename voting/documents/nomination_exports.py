"""The danh sách trích ngang of the entries nominated to a round, as a print-ready .xlsx."""
from flask_babel import get_locale
from flask_babel import gettext as _

from voting.documents.exports import SummaryHeader, build_summary_workbook

# (row attribute, minimum width, maximum width, alignment), in table order.
COLUMNS = (
    ("stt", 5, 6, "center"), ("province_name", 12, 18, "left"), ("product_name", 20, 36, "left"),
    ("group_name", 14, 22, "left"), ("producer_name", 20, 32, "left"),
    ("decision", 16, 24, "left"), ("certificate_number", 14, 22, "center"),
    ("certificate_expires_on", 11, 11, "center"),
)
_VIETNAMESE = {
    "province_name": "Tỉnh, thành phố", "decision": "Quyết định công nhận (số, ngày)",
    "certificate_number": "Số giấy chứng nhận", "certificate_expires_on": "Có giá trị đến",
}


def _labels():
    if str(get_locale()) == "vi":
        return _VIETNAMESE  # the official wording, whatever the catalogue says
    return {
        "stt": _("STT"), "product_name": _("Tên sản phẩm"), "group_name": _("Nhóm sản phẩm"),
        "producer_name": _("Tên cơ sở"), "province_name": _("Tỉnh, thành phố"),
        "decision": _("Quyết định công nhận (số, ngày)"), "certificate_number": _("Số giấy chứng nhận"),
        "certificate_expires_on": _("Có giá trị đến"), "place_date": "{place}, {d:02d}/{m:02d}/{y}",
    }


class _Line:
    """A row of the list with the decision written as on paper: "số …, ngày dd/mm/yyyy"."""

    def __init__(self, row):
        self.__dict__.update(row.__dict__)
        day = row.decision_on.strftime("%d/%m/%Y") if row.decision_on else ""
        self.decision = ", ".join(part for part in (row.decision_number, day) if part)


def nomination_workbook(round_, rows, today):
    """Return the .xlsx bytes of the list, signed off by the round's authority."""
    authority = round_.authority
    header = SummaryHeader(
        parent_authority=(authority.parent_name if authority else "").upper(),
        authority=(authority.name if authority else "").upper(),
        title=_("DANH SÁCH TRÍCH NGANG SẢN PHẨM ĐƯỢC ĐỀ CỬ"),
        subtitle=f"{round_.title} ({round_.year})",
        place=authority.place_name if authority else "",
        issued_on=today,
    )
    return build_summary_workbook(header, [_Line(r) for r in rows], _labels(), COLUMNS)
