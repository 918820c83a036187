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
