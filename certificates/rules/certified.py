"""What a certificate certified: the names the public is shown (issue 16, item 4).

A producer may rename itself or its product after certification, without review. Everything public
that speaks of a certificate (the registry's pages and search, its JSON-LD, the open-data API and
CSV) therefore shows the names as certified: a certificate's snapshot, or a paper certificate as
printed. The platform's current names may appear beside them, marked as current, only where they
differ. A product certified several times is named after its *headline* certificate
(:func:`headline`).
"""
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from certificates.models import CertificateStatus
from voting.extensions import db
from voting.models import FormerProvince, Province
from voting.core.text import province_key


def headline(certificates):
    """The certificate whose names stand for a product: the newest (year, then number) not superseded,
    else the newest. A correction supersedes with corrected names; a revoked or expired certificate
    still names what it certified."""
    ordered = sorted(certificates, key=lambda c: (-c.year, c.number))
    return next((c for c in ordered if c.status != CertificateStatus.SUPERSEDED), ordered[0] if ordered else None)


class ProvinceNames:
    """Current and former province names (loaded once), to find the current unit of a province as certified."""

    def __init__(self):
        self.by_id = {p.id: p for p in db.session.scalars(select(Province))}
        self._current = {p.name_folded: p for p in self.by_id.values()}
        self._former = {}
        #: Current province id -> the names of the former provinces now part of it.
        self.former_names = defaultdict(list)
        for former in db.session.scalars(select(FormerProvince)):
            self._former[former.name_folded] = self.by_id.get(former.current_province_id)
            self.former_names[former.current_province_id].append(former.name)

    def resolve(self, name):
        """``(current unit or None, its name)`` of a province named ``name`` on a certificate;
        the name itself when it names no known province (a current name wins over a former one)."""
        key = province_key(name)
        province = self._current.get(key) or self._former.get(key)
        return province, (province.name if province is not None else (name or ""))


@dataclass(frozen=True)
class CertifiedNames:
    """The names a page shows for a certified product, and the current ones where they differ."""

    product: str
    producer: str
    group: str
    province: str
    province_then: str = ""
    #: The platform's name now, only when it differs from the certified one.
    current_product: str = ""
    current_producer: str = ""


def certified_names(entries, product=None, producer=None):
    """The names of the headline of ``entries`` (:class:`certificates.views.registry.pages.Entry`), with the current
    names of ``product`` and ``producer`` where they differ."""
    top = headline(entries)
    product_name = top.product_name if top else (product.name if product else "")
    producer_name = top.producer_name if top else (producer.name if producer else "")
    current_product = product.name if product is not None and product.name != product_name else ""
    current_producer = producer.name if producer is not None and producer.name != producer_name else ""
    return CertifiedNames(product=product_name, producer=producer_name, group=top.group_name if top else "",
                          province=top.province_name if top else "", province_then=top.province_then if top else "",
                          current_product=current_product, current_producer=current_producer)
