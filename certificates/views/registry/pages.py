"""The public registry of certified products (Danh bạ sản phẩm CNNT tiêu biểu).

``/registry/`` searches it: one row per certified product (a paper certificate linked to no
product is a row of its own) with its certificates, through the search table and the database's
full-text index (:mod:`certificates.registry.index`, :mod:`certificates.registry.search`);
filters, sorting and pages as in the open-data API (:mod:`certificates.views.api.endpoints`). A query
that is exactly a certificate's number (case, spaces and diacritics ignored) opens that certificate's page,
or, when several authorities or years used that number ("15/GCN-UBND"), lists them all with their
authority and year.
Registry pages carry an ``ETag`` and a short ``max-age``.

A certificate is shown as the public sees it on today's date (``status_on``); a paper
certificate re-issued here shows its re-issued certificate's status and QR link.
"""
import json
import math
from dataclasses import dataclass, replace
from datetime import date

from flask import current_app, make_response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from certificates.registry import search as registry_search
from certificates.registry.results import effective_status
from certificates.rules.lineage import higher_certificates, lower_certificate
from certificates.rules.certified import ProvinceNames
from certificates.registry.slugs import slugify
from voting.core import cache
from voting.core.access import public
from voting.core.clock import today_vn
from voting.extensions import db
from certificates.code_labels import CERTIFICATE_STATUS_LABELS, REGISTRY_LEVELS
from voting.core.code_labels import CITY_LEVEL_LABEL, level_label_for
from voting.models import IssuingAuthority, JurisdictionLevel, ProductGroup, Province, Region, User
from certificates.models import Certificate, CertificateStatus, ImportedCertificate, PublicStatus
from voting.rules.permissions import jurisdiction_contains
from voting.operations.audit import latest_checkpoint
from voting.core.text import collate, fold_number, nfc, province_name_key
from certificates.operations.numbering import certificates_numbered

PER_PAGE = 25
MAX_QUERY = 200
#: A paper certificate not re-issued: its status follows from the validity it states.
PAPER_STATUS_LABELS = {PublicStatus.UNSTATED: _l("Không ghi thời hạn")}
#: The status filter's choices.
REGISTRY_STATUS_FILTERS = {"valid": _l("Còn hiệu lực"), "expired": _l("Hết hạn"), "suspended": _l("Tạm đình chỉ"),
                           "revoked": _l("Đã thu hồi"), "superseded": _l("Đã được thay thế"), "all": _l("Tất cả")}
SORT_LABELS = {"relevance": _l("Phù hợp nhất"), "name": _l("Tên sản phẩm"), "year": _l("Năm mới nhất"),
               "province": _l("Tỉnh, thành phố")}
#: How long a registry page may be reused without asking (seconds).
CACHE_SECONDS = 60


@dataclass
class Entry:
    """One registry row: a certificate issued here, or a paper one (possibly re-issued here)."""

    number: str
    product_name: str
    group_name: str
    producer_name: str
    province_name: str
    province_then: str
    level: str
    year: int
    status: str
    decision_number: str
    decision_on: date | None
    decision_authority: str
    expires_on: date | None
    certificate: Certificate | None = None
    imported: ImportedCertificate | None = None
    imported_by: str = ""
    imported_on: object = None
    #: Whether the certificate names its level "cấp thành phố"; None when it does not say (paper certificates).
    city_level: bool | None = None
    #: The producer's address as it may be printed on lists (:func:`voting.rules.addresses.public_address`).
    address: str = ""

    @property
    def on_paper(self):
        return self.imported is not None

    @property
    def authority_key(self):
        """What tells apart certificates sharing a number within a year: the issuing authority's code,
        or "paper-<id>" for a paper certificate (its authority is a name as printed, not a record)."""
        if self.imported is not None:
            return f"paper-{self.imported.id}"
        if self.certificate is None:
            return ""
        return self.certificate.authority.code if self.certificate.authority is not None else ""

    @property
    def url_args(self):
        """The arguments of this entry's own page (``registry.certificate``): the number, its year and authority."""
        return {"number": self.number, "year": self.year, "authority": self.authority_key}

    @property
    def level_label(self):
        if self.level == JurisdictionLevel.PROVINCE and self.city_level is not None:  # as the certificate words it
            return CITY_LEVEL_LABEL if self.city_level else REGISTRY_LEVELS[self.level]
        return level_label(self.level, self.province_then or self.province_name)

    @property
    def status_label(self):
        return PAPER_STATUS_LABELS.get(self.status) or CERTIFICATE_STATUS_LABELS.get(self.status, self.status)


@dataclass
class Page:
    items: list
    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def prev_num(self):
        return self.page - 1

    @property
    def next_num(self):
        return self.page + 1


# Finding ------------------------------------------------------------------------------------------

def find_all_by_number(number, today):
    """Every entry whose number is ``number`` (case, spaces, diacritics and Unicode form ignored:
    :func:`voting.core.text.fold_number`, compared with the stored ``number_folded``), by year then
    authority. Official numbers ("15/GCN-UBND") repeat across authorities and years, so there may be
    several; a paper certificate re-issued here is one entry (its paper record's)."""
    key = fold_number(number or "")
    if not key:
        return []
    entries, papers_seen = [], set()
    for imported in db.session.scalars(select(ImportedCertificate).where(ImportedCertificate.number_folded == key)
                                       .order_by(ImportedCertificate.id)):
        papers_seen.add(imported.id)
        entries.append(entry_for_imported(imported, today))
    for certificate in certificates_numbered(number):
        if certificate.imported_certificate_id is not None:
            if certificate.imported_certificate_id not in papers_seen:
                papers_seen.add(certificate.imported_certificate_id)
                entries.append(entry_for_imported(certificate.imported_certificate, today))
            continue
        entries.append(entry_for_certificate(certificate, today))
    exact = nfc(number)
    # One spelt exactly as typed first within a year and authority (two spellings may fold alike).
    entries.sort(key=lambda e: (e.year, e.authority_key, e.number != exact))
    return entries


def looks_like_number(query):
    """Whether a search may be a certificate number: every number the platform or a paper certificate
    carries holds a digit ("KVN-028/2024/GCN-CTĐP", "15/GCN-UBND"), no product name needs one to be
    searched for. The look-up itself is on the stored, indexed ``number_folded`` columns."""
    return any(ch.isdigit() for ch in query)


def matching(entries, year=None, authority=None):
    """The entries of ``year`` and ``authority`` (an authority code, or "paper-<id>"), each when given."""
    return [e for e in entries if (year is None or e.year == year) and (not authority or e.authority_key == authority)]


# Entries ------------------------------------------------------------------------------------------

def entry_for_certificate(certificate, today, provinces=None):
    """The certificate as certified (its snapshot); the province also as its current unit when it
    has been renamed or merged since (``provinces``: a :class:`ProvinceNames` to reuse)."""
    facts = json.loads(certificate.snapshot)
    then = facts.get("province_name", "")
    _, now = (provinces or ProvinceNames()).resolve(then)
    return Entry(
        number=certificate.number, product_name=facts.get("product_name", ""),
        group_name=facts.get("group_name", ""), producer_name=facts.get("producer_name", ""),
        province_name=now, province_then=then, level=certificate.level,
        year=certificate.year, status=certificate.status_on(today),
        decision_number=facts.get("decision_number", ""),
        decision_on=date.fromisoformat(facts["decision_on"]) if facts.get("decision_on") else None,
        decision_authority=facts.get("decision_authority", ""), expires_on=certificate.expires_on,
        certificate=certificate, city_level=facts.get("level_label") == "cấp thành phố",
        address=facts.get("producer_address", "") or then)


def current_reissue(imported):
    return db.session.scalar(select(Certificate).where(
        Certificate.imported_certificate_id == imported.id, Certificate.status != CertificateStatus.SUPERSEDED))


def paper_status(imported, today):
    if imported.valid_until is None:
        return PublicStatus.UNSTATED
    return PublicStatus.EXPIRED if today > imported.valid_until else PublicStatus.VALID


def entry_for_imported(imported, today):
    certificate = current_reissue(imported)
    current = imported.province.name if imported.province else ""
    return Entry(
        number=imported.number, product_name=imported.product_name,
        group_name=imported.group.name if imported.group else "", producer_name=imported.producer_name,
        province_name=current or imported.province_name_then, province_then=imported.province_name_then,
        level=imported.level, year=imported.year,
        status=certificate.status_on(today) if certificate else paper_status(imported, today),
        decision_number=imported.decision_number, decision_on=imported.decision_on,
        decision_authority=imported.authority_name,
        expires_on=certificate.expires_on if certificate else imported.valid_until,
        certificate=certificate, imported=imported, imported_by=importer_label(imported.imported_by_id),
        imported_on=imported.imported_at)


def importer_label(user_id):
    """Who imported the record, for the public: the importer's issuing authority if they act for one
    (an organiser with exactly one authority of their level in their jurisdiction), else the platform's
    administrators (imports are an administrator's task; no person is named to the public)."""
    user = db.session.get(User, user_id) if user_id else None
    if user is not None and user.jurisdiction_level:
        candidates = db.session.scalars(select(IssuingAuthority).where(
            IssuingAuthority.jurisdiction_level == user.jurisdiction_level)).all()
        mine = [a for a in candidates if jurisdiction_contains(user, a)]
        if len(mine) == 1:
            return mine[0].name
    return str(_l("Quản trị hệ thống"))


# Views --------------------------------------------------------------------------------------------

@public
def index():
    """Search the registry; a query that is exactly a known number opens that certificate's page."""
    params = registry_search.parse(request.args)
    today = today_vn()
    if params.q and not params.errors and looks_like_number(params.q):
        exact = find_all_by_number(params.q, today)
        if len(exact) == 1:
            return redirect(url_for("registry.certificate", number=exact[0].number))
        if len(exact) > 1:  # a number used by several authorities or years: list them all
            return cacheable(make_response(render_template("registry/same_number.html", number=exact[0].number,
                                                           entries=exact, today=today)))
    results = registry_search.search(params, today) if not params.errors else None
    hidden = 0
    if results is not None and not results.total and params.status == PublicStatus.VALID and (params.q or params.filtered):
        # Nothing valid: say how many expired or withdrawn ones there are, with a link to them.
        hidden = registry_search.search(replace(params, status="all", page=1, per_page=1), today).total
    response = make_response(render_template(
        "registry/index.html", params=params, q=params.q, results=results, today=today, hidden=hidden,
        choices=filter_choices(), product_links="registry.product" in current_app.view_functions,
        effective_status=effective_status, entry_link=entry_link, registry_level=level_label,
        registry_status=status_label, checkpoint=latest_checkpoint()), 400 if params.errors else 200)
    return cacheable(response)


def filter_choices():
    """The options of the filter selects, kept a minute by each worker (:func:`voting.core.cache.reference_kept`):
    read for every page, they were three statements and a sort of the provinces, 5 % of its CPU (SQLite)."""
    return cache.reference_kept("registry_filter_choices", _read_filter_choices)


def _read_filter_choices():
    return {
        "province": collate(db.session.execute(select(Province.code, Province.name).order_by(Province.code)).all(),
                            key=lambda row: province_name_key(row.name)),
        "region": db.session.execute(select(Region.code, Region.name).order_by(Region.position)).all(),
        "group": db.session.execute(select(ProductGroup.code, ProductGroup.name).order_by(ProductGroup.code)).all(),
        "level": [(code, REGISTRY_LEVELS[code]) for code in ("quoc_gia", "khu_vuc", "tinh", "huyen", "xa")],
        "status": [(code, REGISTRY_STATUS_FILTERS[code]) for code in registry_search.STATUSES],
        "sort": [(code, SORT_LABELS[code]) for code in registry_search.SORTS],
    }


def cacheable(response):
    """A registry page: an ETag of its body and a short max-age (a conditional GET gets 304).
    A page rendered for a signed-in user is private to them."""
    if response.status_code != 200:
        return response
    response.add_etag(weak=True)
    response.cache_control.max_age = CACHE_SECONDS
    if current_user.is_authenticated:
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response.make_conditional(request)


def level_label(code, province_then=""):
    """The level as shown in the registry; "Cấp thành phố" for a centrally-run city's provincial certificate."""
    if code == JurisdictionLevel.PROVINCE and province_then:
        return level_label_for(code, province_then)
    return REGISTRY_LEVELS.get(code, code)


def status_label(code):
    return PAPER_STATUS_LABELS.get(code) or CERTIFICATE_STATUS_LABELS.get(code, code)


def entry_link(entry, product_links):
    """Where a result links: the product's page when it has one, else its latest certificate's."""
    if product_links and entry.product_id is not None:
        # The page's canonical slug is made of the current name (the entry shows the certified one).
        return url_for("registry.product", ref=slugify(entry.current_name or entry.name, entry.product_id))
    return url_for("registry.certificate", number=entry.certificates[0].number)


@public
def certificate(number):
    """One certificate by its number; the number may hold "/" and spaces (percent-encoded in the URL).

    ``?year=`` and ``?authority=`` (an authority code, or "paper-<id>") pick one among certificates sharing
    the number; when several still match, the page lists them with their authority and year."""
    year = request.args.get("year", type=int)
    found = matching(find_all_by_number(number, today_vn()), year, request.args.get("authority", ""))
    if not found:
        return render_template("registry/not_found.html", number=number[:MAX_QUERY]), 404
    if len(found) > 1:
        return render_template("registry/same_number.html", number=found[0].number, entries=found, today=today_vn())
    entry, = found
    return render_template("registry/certificate.html", entry=entry,
                           higher=higher_certificates(entry.certificate, entry.imported),
                           lower=lower_certificate(entry.certificate) if entry.certificate else None)
