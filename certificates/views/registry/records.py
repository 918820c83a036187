"""The registry's public pages of a certified product and of its producer, and GS1 Digital Link.

Routes added to the ``registry`` blueprint (:mod:`certificates.views.registry.pages`):

- ``/registry/<ref>``: a product, ``ref`` being its id or its slug ``mien-dong-na-ri-12`` (the id at the
  end decides; any other spelling answers 301 to the canonical slug). Public only if the product holds
  or held a certificate: issued here (through an entry of a round) or on paper (an imported certificate
  naming the product). Its certificates are listed as the public sees them today, with the level
  above or below each one came from or went to, and a schema.org ``Product`` in JSON-LD.
- ``/registry/<ref>/photos/<file_id>``: a photo's thumbnail (480 px WebP, its metadata stripped: the
  original may carry the camera's location), only for a published, certified product.
- ``/registry/producers/<ref>``: a producer with its certified products; 404 when it has none.

Name, group, producer and province are shown as certified (:mod:`certificates.rules.certified`: the
newest certificate's snapshot, or the paper certificate as printed), the current names beside them,
marked, where the producer has changed them since; the JSON-LD has the certified names only.
What is public beyond the name, group, producer, province, level and year (the producer's page
says so): photos and description once the producer has published the product page
(``Product.published_at``); the contact details the producer consented to publish
(``Producer.publish_*``), also only once a product page is published.

Both pages carry the registry's ``ETag`` and short ``max-age`` (:func:`certificates.views.registry.pages.cacheable`).

``/01/<gtin>[/...]`` (blueprint ``gs1``, at the root as GS1 Digital Link wants it) answers 307 to the
product page of the certified product carrying that GTIN: 8, 12, 13 or 14 digits with a valid check
digit, compared as GTIN-14 (left-padded with zeros); further GS1 path elements (lot, serial …) and
query parameters are accepted and ignored. An invalid or unknown GTIN gets a 404 page that says which.

The counts per province and group of the registry's home come from :mod:`certificates.registry.stats`
through the template global ``registry_counts()`` (used by ``registry/_counts.html``).
"""
import json
from dataclasses import dataclass, field

from flask import abort, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import exists, or_, select

from certificates.rules.certified import ProvinceNames, certified_names
from certificates.rules.lineage import higher_certificates, lower_certificate
from certificates.registry.stats import certified_counts, counts_chart
from certificates.registry.slugs import id_from_slug, producer_slug, product_slug
from certificates.views.registry.pages import cacheable, entry_for_certificate, entry_for_imported
from voting.rules.addresses import public_address
from voting.core.access import public
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Application, FileKind, Producer, Product, ProductFile
from certificates.models import Certificate, CertificateStatus, ImportedCertificate, PublicStatus
from voting.core.routing import MAX_ID  # ids beyond it cannot exist (PostgreSQL's INTEGER)
from voting.core.security import public_url
from voting.core.storage import storage
from voting.core.uploads import send_stored
from voting.core.text import collate


#: How much of a bad reference or GTIN is shown back on the 404 page.
SHOWN_REF = 60
GTIN_LENGTHS = (8, 12, 13, 14)


# Who may be seen ---------------------------------------------------------------------------------

def _record_id(ref):
    record_id = id_from_slug(ref)
    return record_id if record_id is not None and 0 < record_id <= MAX_ID else None


def is_certified(product_id):
    """Whether the product holds or held a certificate, issued here or on paper."""
    return bool(db.session.scalar(select(or_(
        exists().where(Application.product_id == product_id, Certificate.application_id == Application.id),
        exists().where(ImportedCertificate.product_id == product_id)))))


def public_product(ref):
    """The product ``ref`` names if the registry shows it, else None."""
    product_id = _record_id(ref)
    product = db.session.get(Product, product_id) if product_id else None
    return product if product is not None and is_certified(product.id) else None


def certified_products(producer):
    """The producer's products that hold or held a certificate, in alphabetical order."""
    here = select(Application.product_id).join(Certificate, Certificate.application_id == Application.id)
    paper = select(ImportedCertificate.product_id).where(ImportedCertificate.product_id.is_not(None))
    return collate(db.session.scalars(select(Product).where(
        Product.producer_id == producer.id, or_(Product.id.in_(here), Product.id.in_(paper)))
        .order_by(Product.id)).all(), key=lambda product: product.name)


# What is shown -----------------------------------------------------------------------------------

@dataclass
class Held:
    """A certificate the product holds or held, with the certificates of other levels it links to."""

    entry: object  # certificates.views.registry.pages.Entry
    higher: list = field(default_factory=list)
    lower: object = None

    @property
    def in_force(self):
        """Valid or expired: an award the product did receive (not suspended, revoked or replaced)."""
        return self.entry.status in (PublicStatus.VALID, PublicStatus.EXPIRED)


def certificates_held(product, today, provinces=None):
    """Every certificate of ``product``, issued here and on paper, newest year first."""
    held = []
    provinces = provinces or ProvinceNames()
    here = db.session.scalars(select(Certificate).join(Application, Application.id == Certificate.application_id)
                              .where(Application.product_id == product.id))
    for certificate in here:
        entry = entry_for_certificate(certificate, today, provinces)
        current = certificate.status != CertificateStatus.SUPERSEDED
        held.append(Held(entry, higher_certificates(certificate) if current else [],
                         lower_certificate(certificate) if current else None))
    for imported in db.session.scalars(select(ImportedCertificate).where(ImportedCertificate.product_id == product.id)):
        held.append(Held(entry_for_imported(imported, today), higher_certificates(None, imported)))
    return sorted(held, key=lambda h: (-h.entry.year, h.entry.number))


@dataclass(frozen=True)
class Contact:
    address: str = ""
    phone: str = ""
    email: str = ""

    def __bool__(self):
        return bool(self.address or self.phone or self.email)


def contact_details(producer):
    """Only what the producer consented to publish (the address to its commune is public)."""
    return Contact(address=public_address(producer), phone=producer.phone if producer.publish_phone else "",
                   email=producer.email if producer.publish_email else "")


def _absolute(endpoint, **values):
    return public_url(endpoint, **values)


def product_json_ld(product, held, published, names):
    """schema.org ``Product`` as the text of a ``<script type="application/ld+json">``, safe to embed.

    Name, category and producer as certified (``names``: :class:`certificates.rules.certified.CertifiedNames`).
    """
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": names.product,
        "url": _absolute("registry.product", ref=product_slug(product)),
        "category": names.group,
        "brand": {"@type": "Brand", "name": names.producer},
        "manufacturer": {"@type": "Organization", "name": names.producer,
                         "url": _absolute("registry.producer", ref=producer_slug(product.producer))},
    }
    if product.gtin:
        data["gtin"] = product.gtin
    if published:
        if product.description:
            data["description"] = product.description
        images = [_absolute("registry.photo", ref=product_slug(product), file_id=p.id)
                  for p in product.photos if p.thumbnail_name]
        if images:
            data["image"] = images
    awards = [_("Sản phẩm công nghiệp nông thôn tiêu biểu %(level)s năm %(year)s (giấy chứng nhận số %(number)s)",
                level=str(h.entry.level_label).lower(), year=h.entry.year, number=h.entry.number)
              for h in held if h.in_force]
    if awards:
        data["award"] = awards
    return script_json(data)


def script_json(data):
    """JSON that cannot end its ``<script>`` element nor open a comment or an entity there."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return Markup(text)


def _not_found(kind, ref):
    return render_template("registry/record_not_found.html", kind=kind, ref=(ref or "")[:SHOWN_REF]), 404


# Views -------------------------------------------------------------------------------------------

@public
def product(ref):
    """A certified product's public page; any other spelling of its reference redirects to the slug."""
    found = public_product(ref)
    if found is None:
        return _not_found("product", ref)
    canonical = product_slug(found)
    if ref != canonical:
        return redirect(url_for("registry.product", ref=canonical), 301)
    today = today_vn()
    held = certificates_held(found, today)
    names = certified_names([h.entry for h in held], found, found.producer)
    published = found.published_at is not None
    return cacheable(make_response(render_template(
        "registry/product.html", product=found, producer=found.producer, held=held, published=published,
        names=names, photos=[p for p in found.photos if p.thumbnail_name] if published else [],
        contact=contact_details(found.producer) if published else Contact(),
        json_ld=product_json_ld(found, held, published, names))))


@public
def photo(ref, file_id):
    """A published, certified product's photo, as its thumbnail; 404 for anything else."""
    found = public_product(ref)
    record = db.session.get(ProductFile, file_id)
    if (found is None or found.published_at is None or record is None or record.product_id != found.id
            or record.kind != FileKind.PHOTO or not record.thumbnail_name):
        abort(404)
    try:
        response = send_stored(storage("uploads"), record.thumbnail_name, mimetype="image/webp",
                               download_name=f"{product_slug(found)}-{record.id}.webp")
    except FileNotFoundError:
        abort(404)
    # Anyone may keep it, but asks again each time: an unpublished photo stops being served at once.
    response.headers["Cache-Control"] = "public, no-cache"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@public
def producer(ref):
    """A producer with its certified products; 404 when it has none."""
    record_id = _record_id(ref)
    found = db.session.get(Producer, record_id) if record_id else None
    products = certified_products(found) if found is not None else []
    if not products:
        return _not_found("producer", ref)
    canonical = producer_slug(found)
    if ref != canonical:
        return redirect(url_for("registry.producer", ref=canonical), 301)
    today, provinces = today_vn(), ProvinceNames()
    rows = []
    for product in products:
        held = certificates_held(product, today, provinces)
        rows.append((product, held, certified_names([h.entry for h in held], product)))
    names = certified_names([h.entry for _, held, _ in rows for h in held], producer=found)
    any_published = any(p.published_at is not None for p in products)
    return cacheable(make_response(render_template(
        "registry/producer.html", producer=found, rows=rows, names=names,
        contact=contact_details(found) if any_published else Contact())))




# Counts on the registry's home --------------------------------------------------------------------

@dataclass(frozen=True)
class CountsChart:
    id: str
    heading: str
    column: str
    rows: list
    svg: Markup


@dataclass(frozen=True)
class RegistryCounts:
    total: int
    charts: list


def registry_counts():
    """The counts of certified products per province and per group, with their charts."""
    counts = certified_counts(today_vn())
    charts = []
    for chart_id, rows, heading, column in (
            ("counts-province", counts.by_province, _("Theo tỉnh, thành phố"), _("Tỉnh, thành phố")),
            ("counts-group", counts.by_group, _("Theo nhóm sản phẩm"), _("Nhóm sản phẩm"))):
        svg = counts_chart(rows, chart_id, heading, _(
            "Mỗi thanh là số sản phẩm có giấy chứng nhận còn hiệu lực hôm nay. Số liệu ở bảng dưới biểu đồ."))
        charts.append(CountsChart(chart_id, heading, column, rows, svg))
    return RegistryCounts(counts.total, charts)
