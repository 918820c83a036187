"""Producers (cơ sở CNNT), their products, and the files of a product's dossier."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow


class Producer(db.Model):
    """Cơ sở công nghiệp nông thôn: a firm, cooperative, cooperative group or household business."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    type_code: Mapped[str] = mapped_column(ForeignKey("producer_type.code"))
    # Unique when given; NULL for a tổ hợp tác without one.
    registration_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("commune.id"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    representative: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    # What the public registry may show beyond the province (personal data:
    # Nghị định 13/2023/NĐ-CP). The choice and its date are also in the audit log.
    publish_address: Mapped[bool] = mapped_column(default=False)
    publish_phone: Mapped[bool] = mapped_column(default=False)
    publish_email: Mapped[bool] = mapped_column(default=False)
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Demo rows are labelled as such wherever they are shown.
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Set when the record came from a province's paper nomination list rather
    # than from the producer's own registration; shown wherever it is listed.
    # Who imported it is in the audit log (a user column here would make
    # producer and user depend on each other).
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)

    producer_type: Mapped["ProducerType"] = relationship()  # noqa: F821
    province: Mapped["Province"] = relationship()  # noqa: F821
    commune: Mapped["Commune | None"] = relationship()  # noqa: F821
    products: Mapped[list["Product"]] = relationship(
        back_populates="producer", order_by="Product.name"
    )
    accounts: Mapped[list["User"]] = relationship(back_populates="producer", foreign_keys="User.producer_id")  # noqa: F821


class Product(db.Model):
    """A product, or a set of products (bộ sản phẩm) entered as one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    group_code: Mapped[str] = mapped_column(ForeignKey("product_group.code"), index=True)
    # Bản thuyết minh, mô tả giới thiệu sản phẩm.
    description: Mapped[str] = mapped_column(Text, default="")
    gtin: Mapped[str | None] = mapped_column(String(14))
    is_set: Mapped[bool] = mapped_column(default=False)
    # Photos, description and contact details go public only once published.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # As on Producer: the product was typed in from a paper nomination list.
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)

    producer: Mapped[Producer] = relationship(back_populates="products")
    group: Mapped["ProductGroup"] = relationship()  # noqa: F821
    set_items: Mapped[list["ProductSetItem"]] = relationship(
        back_populates="product", order_by="ProductSetItem.position", cascade="all, delete-orphan"
    )
    files: Mapped[list["ProductFile"]] = relationship(
        back_populates="product", order_by="ProductFile.id", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("gtin IS NULL OR length(gtin) IN (8, 12, 13, 14)", name="gtin_length"),)

    @property
    def photos(self):
        return [f for f in self.files if f.kind == FileKind.PHOTO]

    @property
    def documents(self):
        return [f for f in self.files if f.kind == FileKind.DOCUMENT]


class ProductSetItem(db.Model):
    """One item of a bộ sản phẩm."""

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="set_items")


class FileKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


#: Document types of a dossier; only the registration copy is required.
DOCUMENT_TYPES = ("registration", "quality", "food_safety", "award", "other")


class ProductFile(db.Model):
    """A photo or a dossier document, stored outside ``static/`` under a random name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    document_type: Mapped[str | None] = mapped_column(String(20))
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)
    thumbnail_name: Mapped[str | None] = mapped_column(String(80))
    # The name the user gave, shown back to them only; never used on disk.
    original_name: Mapped[str] = mapped_column(String(255), default="")
    mime_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    pages: Mapped[int | None]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship(back_populates="files")

    __table_args__ = (
        CheckConstraint("kind IN ('photo', 'document')", name="kind_known"),
        CheckConstraint(
            "(kind = 'photo' AND document_type IS NULL) OR (kind = 'document' AND document_type IN "
            "('registration', 'quality', 'food_safety', 'award', 'other'))",
            name="document_type_shape",
        ),
        CheckConstraint("size > 0", name="size_positive"),
        UniqueConstraint("product_id", "sha256", name="uq_product_file_same_content"),
    )
