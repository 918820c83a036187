"""Producers (cơ sở CNNT) and their products.

This is the foundation's minimal shape; the producer issue adds profiles,
consent, files and dossiers.
"""
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow


class Producer(db.Model):
    """Cơ sở công nghiệp nông thôn: a firm, cooperative or household business."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    type_code: Mapped[str] = mapped_column(ForeignKey("producer_type.code"))
    registration_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("commune.id"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    representative: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    # Demo rows are labelled as such wherever they are shown.
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

    producer_type: Mapped["ProducerType"] = relationship()  # noqa: F821
    province: Mapped["Province"] = relationship()  # noqa: F821
    commune: Mapped["Commune | None"] = relationship()  # noqa: F821
    products: Mapped[list["Product"]] = relationship(
        back_populates="producer", order_by="Product.name"
    )
    accounts: Mapped[list["User"]] = relationship(back_populates="producer")  # noqa: F821


class Product(db.Model):
    """A product (or a set of products, bộ sản phẩm) a producer may enter into rounds."""

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    group_code: Mapped[str] = mapped_column(ForeignKey("product_group.code"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

    producer: Mapped[Producer] = relationship(back_populates="products")
    group: Mapped["ProductGroup"] = relationship()  # noqa: F821
