"""Issuing authorities: who organises a level's round and signs its certificates."""
from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow
from voting.models.jurisdiction import JurisdictionMixin


#: The official form of a certificate number, "<seq>/<symbol>": "15/GCN-UBND" (Nghị định 30/2020/NĐ-CP
#: writes a document's number as its sequence, a slash and its symbol).
OFFICIAL_NUMBER_TEMPLATE = "{seq}/GCN-UBND"


class IssuingAuthority(JurisdictionMixin, db.Model):
    """Cơ quan cấp giấy chứng nhận, e.g. "Ủy ban nhân dân tỉnh Thái Nguyên", "Bộ Công Thương".

    Names change (the Cục has been renamed twice), so authorities are data
    that an administrator edits; certificates will snapshot the name at issue.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short code used in certificate numbers (e.g. "TNG", "BCT"); unique.
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # The parent line printed above the name in official headers, e.g.
    # "BỘ CÔNG THƯƠNG" above "CỤC ĐỔI MỚI SÁNG TẠO, ...". Empty when none.
    parent_name: Mapped[str] = mapped_column(String(300), default="")
    # Place written before the date on documents ("Thái Nguyên, ngày ...").
    place_name: Mapped[str] = mapped_column(String(100), default="")
    #: How this authority numbers its certificates: ``{code}``, ``{year}``, ``{level}`` and ``{seq}``
    #: (the sequence per authority, level and year; ``{seq:04d}`` pads it to 4 digits). New
    #: authorities get the official form "<seq>/<symbol>" ("15/GCN-UBND"): a number is unique per
    #: authority and year, not across the country. Authorities created earlier keep their template.
    number_template: Mapped[str] = mapped_column(String(100), default=OFFICIAL_NUMBER_TEMPLATE)
    #: Artwork an administrator uploads for certificates (the state emblem or a programme logo,
    #: which the platform does not draw): a checked PNG/JPEG/WebP in the uploads storage.
    artwork_storage_name: Mapped[str | None] = mapped_column(String(80))
    artwork_mime: Mapped[str | None] = mapped_column(String(20))
    #: The image of the authority's seal (con dấu) an administrator uploads, a PNG with a transparent background as
    #: Nghị định 30/2020 wants it: drawn over the left third of the digital signature's stamp, never by the platform.
    seal_storage_name: Mapped[str | None] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        JurisdictionMixin.jurisdiction_check(),
        CheckConstraint("jurisdiction_level IS NOT NULL", name="has_jurisdiction"),
    )

    def __repr__(self):
        return f"<IssuingAuthority {self.code}>"
