"""Certificates issued on paper before the platform, imported from a spreadsheet."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from voting.extensions import db
from voting.models.base import UTCDateTime, folded_number_default, utcnow
from voting.core.text import fold_number
from voting.rules.certification import FIRST_YEAR  # the first year of the programme's rules

#: Level codes a past certificate may carry (``levels.csv``); "huyen" existed until 30/6/2025.
IMPORTED_LEVELS = ("huyen", "xa", "tinh", "khu_vuc", "quoc_gia")


class ImportedCertificate(db.Model):
    """Giấy chứng nhận cấp trước khi có nền tảng: kept as printed, not signed by the platform.

    The texts are stored NFC and trimmed as printed; ``province_name_then`` keeps the name of
    the province at the time (a former province is allowed) and ``province_id`` links the
    current unit when the name could be resolved.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unique per issuing authority (as printed) and year: provinces' paper certificates share official
    #: numbers such as "15/GCN-UBND".
    number: Mapped[str] = mapped_column(String(60))
    #: ``voting.core.text.fold_number(number)``: what every lookup by number compares (set with the number).
    number_folded: Mapped[str] = mapped_column(String(120), index=True, default=folded_number_default)
    level: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    decision_number: Mapped[str] = mapped_column(String(60))
    decision_on: Mapped[date] = mapped_column(Date)
    authority_name: Mapped[str] = mapped_column(String(300))
    product_name: Mapped[str] = mapped_column(String(300))
    product_name_folded: Mapped[str] = mapped_column(String(300), index=True)
    group_code: Mapped[str] = mapped_column(ForeignKey("product_group.code"), index=True)
    producer_name: Mapped[str] = mapped_column(String(300))
    producer_name_folded: Mapped[str] = mapped_column(String(300), index=True)
    province_name_then: Mapped[str] = mapped_column(String(100))
    province_id: Mapped[int | None] = mapped_column(ForeignKey("province.id"), index=True)
    #: The product on the platform this certificate was for, when known (a paper nomination list
    #: names it; a past certificate is linked when its product and producer are unambiguous).
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), index=True)
    #: None: the certificate states no expiry.
    valid_until: Mapped[date | None] = mapped_column(Date)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source_file_name: Mapped[str] = mapped_column(String(255))
    row_number: Mapped[int]

    group: Mapped["ProductGroup"] = relationship()  # noqa: F821
    province: Mapped["Province | None"] = relationship()  # noqa: F821
    product: Mapped["Product | None"] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint("level IN ('huyen', 'xa', 'tinh', 'khu_vuc', 'quoc_gia')", name="level_known"),
        # The upper bound (the current year) is checked on import; a CHECK cannot read the clock portably.
        CheckConstraint(f"year >= {FIRST_YEAR} AND year <= 2100", name="year_range"),
        CheckConstraint("valid_until IS NULL OR valid_until > decision_on", name="valid_after_decision"),
        CheckConstraint("row_number >= 2", name="row_after_header"),
        CheckConstraint("length(number) > 0", name="number_not_empty"),
        UniqueConstraint("authority_name", "year", "number"),
    )

    @validates("number")
    def _fold_number(self, _key, number):
        self.number_folded = fold_number(number)
        return number

    def __repr__(self):
        return f"<ImportedCertificate {self.number}>"
