"""Jurisdictions (địa bàn): national, a region, a province, or a commune.

Organisers and issuing authorities both act within one. The shape is an
invariant of the schema: a provincial jurisdiction names a province and
nothing narrower or wider, and so on.
"""
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship


class JurisdictionLevel(StrEnum):
    COMMUNE = "xa"
    PROVINCE = "tinh"
    REGION = "khu_vuc"
    NATIONAL = "quoc_gia"


#: A regional jurisdiction without a region means "every region" (the Cục
#: organises all three regional rounds).
JURISDICTION_SHAPE_SQL = (
    "(jurisdiction_level IS NULL AND region_id IS NULL AND province_id IS NULL AND commune_id IS NULL)"
    " OR (jurisdiction_level = 'quoc_gia' AND region_id IS NULL AND province_id IS NULL AND commune_id IS NULL)"
    " OR (jurisdiction_level = 'khu_vuc' AND province_id IS NULL AND commune_id IS NULL)"
    " OR (jurisdiction_level = 'tinh' AND province_id IS NOT NULL AND region_id IS NULL AND commune_id IS NULL)"
    " OR (jurisdiction_level = 'xa' AND commune_id IS NOT NULL AND province_id IS NOT NULL AND region_id IS NULL)"
)


class JurisdictionMixin:
    """Columns naming a jurisdiction; a table using it adds the shape check."""

    jurisdiction_level: Mapped[str | None] = mapped_column(String(20))

    @declared_attr
    def region_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("region.id"), index=True)

    @declared_attr
    def province_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("province.id"), index=True)

    @declared_attr
    def commune_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("commune.id"), index=True)

    @declared_attr
    def region(cls):
        return relationship("Region")

    @declared_attr
    def province(cls):
        return relationship("Province")

    @declared_attr
    def commune(cls):
        return relationship("Commune")

    @staticmethod
    def jurisdiction_check():
        return CheckConstraint(JURISDICTION_SHAPE_SQL, name="jurisdiction_shape")

    def covers_province(self, province_id):
        """Return True if the jurisdiction includes the whole or part of a province."""
        level = self.jurisdiction_level
        if level == JurisdictionLevel.NATIONAL:
            return True
        if level == JurisdictionLevel.REGION:
            if self.region_id is None:
                return True
            return self.region is not None and any(p.id == province_id for p in self.region.provinces)
        if level in (JurisdictionLevel.PROVINCE, JurisdictionLevel.COMMUNE):
            return self.province_id == province_id
        return False

    @property
    def jurisdiction_label(self):
        """A short plain-text label, e.g. "Thái Nguyên" or "Khu vực phía Bắc"."""
        level = self.jurisdiction_level
        if level == JurisdictionLevel.NATIONAL:
            return "Toàn quốc"
        if level == JurisdictionLevel.REGION:
            return self.region.name if self.region else "Tất cả khu vực"
        if level == JurisdictionLevel.PROVINCE:
            return self.province.name
        if level == JurisdictionLevel.COMMUNE:
            return f"{self.commune.name}, {self.province.name}"
        return ""
