"""Reference data: administrative units, regions, levels, groups, the scoring sheet.

Loaded idempotently from ``voting/data`` and the ``vietnam-provinces`` package
(see :mod:`voting.operations.reference`). Current and former provinces live in
separate tables because their code lists overlap (15 was Yên Bái and is now
the new Lào Cai): a code is only ever looked up in its own table.
"""
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db


class Region(db.Model):
    """Khu vực: the three regions of the regional round."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    provinces: Mapped[list["Province"]] = relationship(
        back_populates="region", order_by="Province.code"
    )

    def __repr__(self):
        return f"<Region {self.code}>"


#: The kind of the six centrally-run cities (Hà Nội, Hải Phòng, Huế, Đà Nẵng, Cần Thơ, Thành phố Hồ Chí Minh).
CITY = "thành phố"


class Province(db.Model):
    """A provincial unit after the 2025 reform (34 units: tỉnh and thành phố)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_folded: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # Region membership is an administrator's decision (unconfirmed in the
    # rules), so it is data, never derived from the code.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)

    region: Mapped[Region | None] = relationship(back_populates="provinces")
    communes: Mapped[list["Commune"]] = relationship(
        back_populates="province", order_by="Commune.name"
    )
    former_provinces: Mapped[list["FormerProvince"]] = relationship(
        back_populates="current_province", order_by="FormerProvince.code"
    )

    __table_args__ = (CheckConstraint("kind IN ('tỉnh', 'thành phố')", name="kind"),)

    @property
    def is_city(self):
        """One of the six centrally-run cities (thành phố trực thuộc trung ương)."""
        return self.kind == CITY

    @property
    def full_name(self):
        """The unit with its kind: "tỉnh Thái Nguyên", "thành phố Hà Nội"; "Thành phố Hồ Chí Minh" as its name has it."""
        if self.name.casefold().startswith(self.kind.casefold() + " "):
            return self.name
        return f"{self.kind} {self.name}"

    @property
    def level_words(self):
        """The provincial level named for this unit, as documents print it: "cấp tỉnh" or "cấp thành phố"."""
        return f"cấp {self.kind}"

    def __repr__(self):
        return f"<Province {self.code} {self.name}>"


class FormerProvince(db.Model):
    """One of the 63 provinces before 1/7/2025, and the current unit it is now part of."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_folded: Mapped[str] = mapped_column(String(100), index=True)
    former_region_code: Mapped[str] = mapped_column(String(20))
    current_province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)

    current_province: Mapped[Province] = relationship(back_populates="former_provinces")

    def __repr__(self):
        return f"<FormerProvince {self.code} {self.name}>"


class Commune(db.Model):
    """Xã, phường or đặc khu: the 3,321 communal units after the reform."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(5), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_folded: Mapped[str] = mapped_column(String(100), index=True)
    division_type: Mapped[str] = mapped_column(String(20))
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)

    province: Mapped[Province] = relationship(back_populates="communes")

    def __repr__(self):
        return f"<Commune {self.code} {self.name}>"


class Level(db.Model):
    """Cấp bình chọn: xã, (historical) huyện, tỉnh, khu vực, quốc gia."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(300))
    certificate_issued_by: Mapped[str] = mapped_column(String(300))
    entry_requires: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    historical: Mapped[bool] = mapped_column(default=False)


class ProductGroup(db.Model):
    """Nhóm sản phẩm (four groups)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class ProducerType(db.Model):
    """Loại hình cơ sở CNNT: doanh nghiệp nhỏ và vừa, hợp tác xã, tổ hợp tác, hộ kinh doanh."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class ScoringSheetTemplate(db.Model):
    """Phiếu chấm điểm: the official sheet that rounds copy and may refine."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(500), default="")
    total: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    default_pass_mark: Mapped[Decimal] = mapped_column(Numeric(6, 2))

    criteria: Mapped[list["ScoringCriterionTemplate"]] = relationship(
        back_populates="sheet", order_by="ScoringCriterionTemplate.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        CheckConstraint("total > 0", name="total_positive"),
        CheckConstraint("default_pass_mark >= 0 AND default_pass_mark <= total", name="pass_mark_range"),
    )


class ScoringCriterionTemplate(db.Model):
    """One row of the official scoring sheet, with its maximum points."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("scoring_sheet_template.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(300))
    max_points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    position: Mapped[int] = mapped_column(default=0)

    sheet: Mapped[ScoringSheetTemplate] = relationship(back_populates="criteria")

    __table_args__ = (
        UniqueConstraint("sheet_id", "code"),
        CheckConstraint("max_points > 0", name="max_points_positive"),
    )
