"""The public registry's search table: one row per certified product, with its certificates.

Denormalised from products, producers, certificates and paper certificates by
:mod:`certificates.registry.index`, which keeps it current; see there for what
each column holds and how the database's full-text machinery indexes it.
"""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow


#: ``valid_until`` of an entry whose valid certificate has no end.
NO_EXPIRY = date(9999, 12, 31)


class RegistryEntry(db.Model):
    """A certified product on the platform, or a paper certificate not linked to one.

    No foreign keys: the row is a copy, rebuilt whenever its sources change
    (``flask registry reindex`` rebuilds them all). Names, group and province are as certified
    on the entry's headline certificate (:func:`certificates.rules.certified.headline`); the platform's
    current names are kept beside them, shown only where they differ and marked as current.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int | None] = mapped_column(unique=True)
    imported_id: Mapped[int | None] = mapped_column(unique=True)
    producer_id: Mapped[int | None]
    #: The product's name as certified.
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    #: The producer's name as certified.
    producer_name: Mapped[str] = mapped_column(String(300))
    #: The product's and the producer's names on the platform now ("" for a paper certificate
    #: linked to no product): a producer may rename them after certification, without review.
    current_name: Mapped[str] = mapped_column(String(300), default="")
    current_producer_name: Mapped[str] = mapped_column(String(300), default="")
    #: The current unit of the province as certified (its id and name); ``province_then`` the name
    #: as certified when the province has been renamed or merged since.
    province_id: Mapped[int | None] = mapped_column(index=True)
    region_id: Mapped[int | None] = mapped_column(index=True)
    province_name: Mapped[str] = mapped_column(String(100))
    province_name_folded: Mapped[str] = mapped_column(String(100))
    province_then: Mapped[str] = mapped_column(String(100), default="")
    group_code: Mapped[str] = mapped_column(String(10), index=True)
    group_name: Mapped[str] = mapped_column(String(200))
    #: The latest year of the entry's certificates (sorting).
    year: Mapped[int] = mapped_column(index=True)
    #: The last day one of its certificates is valid (:data:`NO_EXPIRY` for a valid certificate that
    #: does not expire or states no expiry; None when none is valid): the registry's default filter,
    #: "valid today", is a comparison on the row, not a look at its certificates.
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    #: Folded (``voting.core.text.fold``) product, producer, province as certified on every certificate
    #: and now, former names of the province, group and certificate numbers: what the full-text
    #: index covers.
    search_text: Mapped[str] = mapped_column(Text)
    #: Who holds the product and which product it is, for counting producers with several products: a producer on
    #: the platform by its id ("p12"), one known from paper only by its province and name as certified
    #: ("nThái Nguyên|HTX Minh Hà"); a product by its id ("p7"), or a paper one by its folded name ("nmien dong").
    holder_key: Mapped[str] = mapped_column(String(420), default="", index=True)
    product_key: Mapped[str] = mapped_column(String(310), default="")
    #: The same names in NFC and lower case: a query found here as typed ranks first.
    exact_text: Mapped[str] = mapped_column(Text)
    #: ICU sort keys (Vietnamese alphabetical order, :func:`voting.core.text.sort_key`) of the name and of the
    #: province without its kind word: the registry's pages sort by them in SQL, byte by byte, as ICU intends.
    name_sort: Mapped[bytes] = mapped_column(LargeBinary, default=b"", index=True)
    province_sort: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    certificates: Mapped[list["RegistryCertificate"]] = relationship(
        back_populates="entry", order_by="(RegistryCertificate.year.desc(), RegistryCertificate.number)",
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin")

    @property
    def renamed_product(self):
        """The product's current name when it differs from the certified one, else ""."""
        return self.current_name if self.current_name and self.current_name != self.name else ""

    @property
    def renamed_producer(self):
        """The producer's current name when it differs from the certified one, else ""."""
        return (self.current_producer_name
                if self.current_producer_name and self.current_producer_name != self.producer_name else "")


class RegistryCertificate(db.Model):
    """One certificate of a registry entry: issued here, or on paper (re-issued here or not)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("registry_entry.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    #: The stored status (valid, suspended, revoked, superseded); "expired" follows from
    #: ``expires_on`` on the day asked, as in ``Certificate.status_on``.
    status: Mapped[str] = mapped_column(String(20))
    #: None: a paper certificate that states no expiry.
    expires_on: Mapped[date | None] = mapped_column(Date)
    on_paper: Mapped[bool] = mapped_column(default=False)
    #: The signed token of the QR (absent for a paper certificate not re-issued here).
    token: Mapped[str | None] = mapped_column(Text)
    #: As certified on this certificate (its snapshot, or the paper certificate as printed);
    #: province as in :class:`RegistryEntry`.
    product_name: Mapped[str] = mapped_column(String(300), default="")
    producer_name: Mapped[str] = mapped_column(String(300), default="")
    group_name: Mapped[str] = mapped_column(String(200), default="")
    province_name: Mapped[str] = mapped_column(String(100), default="")
    province_then: Mapped[str] = mapped_column(String(100), default="")
    #: The issuing authority as certified (an official number such as "15/GCN-UBND" is unique only
    #: per authority and year) and the producer's address as certified, to its commune at most as
    #: far as the producer consented (a paper certificate: empty).
    authority_name: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(300), default="")

    entry: Mapped[RegistryEntry] = relationship(back_populates="certificates")

    __table_args__ = (Index("ix_registry_certificate_filters", "level", "year", "status"),)


class RegistryTally(db.Model):
    """How many certificates of the registry share a year, level, province and group of their entry, a province
    as certified, a status and an expiry: the summary reports' figures (:mod:`certificates.reports.figures`)
    add these up, a few thousand rows for twenty years of rounds, rather than read every certificate.

    A copy like the registry's rows, recounted for the provinces whose entries a refresh touched
    (:func:`certificates.registry.tally.recount`) in the same transaction. A corrected certificate's first
    copy ("superseded") is not counted.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    level: Mapped[str] = mapped_column(String(10))
    #: The entry's (today's unit of the province its product was certified in) and its group.
    province_id: Mapped[int | None] = mapped_column(index=True)
    group_code: Mapped[str] = mapped_column(String(10))
    #: The province's name as certified (a former province for a certificate from before the 2025 merger).
    province_then: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(20))
    expires_on: Mapped[date | None] = mapped_column(Date)
    certificates: Mapped[int]

    __table_args__ = (CheckConstraint("certificates > 0", name="registry_tally_counts_something"),)


#: ``RegistryHolder.province_id`` of a producer's row for the whole country.
WHOLE_COUNTRY = 0


class RegistryHolder(db.Model):
    """A producer holding a certified product in the registry (keyed as :attr:`RegistryEntry.holder_key`), with
    how many products it holds and its type and commune kind on the platform now (empty for a producer known
    from paper only): a row for the whole country (``province_id`` :data:`WHOLE_COUNTRY`) and one per province
    its products were certified in, counting those (a product is in one province: the provinces' counts add
    up). The summary report's producers with several products and its producers by type and commune kind read
    these rows, kept in step by :func:`certificates.registry.tally.recount_holders`, rather than count every
    product of every producer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_key: Mapped[str] = mapped_column(String(420))
    #: The entries' province (today's unit), or WHOLE_COUNTRY; 0 rather than NULL so that the key is unique.
    province_id: Mapped[int] = mapped_column(default=WHOLE_COUNTRY)
    name: Mapped[str] = mapped_column(String(300))
    province_name: Mapped[str] = mapped_column(String(100))
    products: Mapped[int]
    type_code: Mapped[str] = mapped_column(String(20), default="")
    commune_kind: Mapped[str] = mapped_column(String(20), default="")

    __table_args__ = (CheckConstraint("products >= 1", name="registry_holder_holds_one"),
                      UniqueConstraint("holder_key", "province_id", name="uq_registry_holder_key"),
                      Index("ix_registry_holder_place_products", "province_id", "products"),
                      Index("ix_registry_holder_place_type_kind", "province_id", "type_code", "commune_kind"))
