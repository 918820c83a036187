"""The public registry of certified products (Danh bạ sản phẩm CNNT tiêu biểu).

It lists the certificates issued on the platform and the paper certificates imported
from before it, and finds them by number (case and spaces ignored), by product or
producer name (folded: "mien dong" finds "Miến dong") and by province, a former
province finding the certificates of the unit it merged into and the other way round.
Simple LIKE queries on the folded columns for now; a later issue brings full-text search.

A certificate is shown as the public sees it on today's date (``status_on``); a paper
certificate re-issued here shows its re-issued certificate's status and QR link.
"""
import json
import math
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, or_, select, union_all

from certificates.lineage import higher_certificates, lower_certificate
from certificates.reissue_imported import number_key
from voting.access import public
from voting.clock import today_vn
from voting.extensions import db
from voting.labels import CERTIFICATE_STATUS_LABELS, LEVEL_LABELS
from voting.models import (
    Application,
    Certificate,
    CertificateStatus,
    FormerProvince,
    ImportedCertificate,
    IssuingAuthority,
    Producer,
    Product,
    Province,
    User,
)
from voting.permissions import jurisdiction_contains
from voting.text import fold

blueprint = Blueprint("registry", __name__, url_prefix="/registry")
PER_PAGE = 25
MAX_QUERY = 200
#: Levels as shown in the registry: cấp huyện exists on paper certificates only.
REGISTRY_LEVELS = {**{str(k): v for k, v in LEVEL_LABELS.items()}, "huyen": _l("Cấp huyện")}
#: A paper certificate not re-issued: its status follows from the validity it states.
PAPER_STATUS_LABELS = {"unstated": _l("Không ghi thời hạn")}
_PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp. ", "tp ")


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

    @property
    def on_paper(self):
        return self.imported is not None

    @property
    def level_label(self):
        return REGISTRY_LEVELS.get(self.level, self.level)

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

def _number_expr(column):
    return func.lower(func.replace(column, " ", ""))


def _province_ids(folded):
    """Current provinces whose name, or a former name of theirs, contains ``folded``."""
    key = folded
    for prefix in _PROVINCE_PREFIXES:
        key = key.removeprefix(prefix)
    if len(key) < 2:
        return set()
    ids = set(db.session.scalars(select(Province.id).where(Province.name_folded.contains(key, autoescape=True))))
    ids |= set(db.session.scalars(select(FormerProvince.current_province_id).where(
        FormerProvince.name_folded.contains(key, autoescape=True))))
    return ids


def _queries(q):
    """The two selects (certificates issued here, paper certificates) of ``(kind, id, year, number)``."""
    here = (select(literal("here").label("kind"), Certificate.id.label("id"), Certificate.year.label("year"),
                   Certificate.number.label("number"))
            .join(Application, Application.id == Certificate.application_id)
            .join(Product, Product.id == Application.product_id)
            .join(Producer, Producer.id == Application.producer_id)
            .where(Certificate.status != CertificateStatus.SUPERSEDED))
    paper = select(literal("paper").label("kind"), ImportedCertificate.id.label("id"),
                   ImportedCertificate.year.label("year"), ImportedCertificate.number.label("number"))
    if q:
        key, folded = number_key(q), fold(q)
        provinces = _province_ids(folded)
        here = here.where(or_(
            _number_expr(Certificate.number) == key,
            Product.name_folded.contains(folded, autoescape=True),
            Producer.name_folded.contains(folded, autoescape=True),
            Producer.province_id.in_(provinces)))
        paper = paper.where(or_(
            _number_expr(ImportedCertificate.number) == key,
            ImportedCertificate.product_name_folded.contains(folded, autoescape=True),
            ImportedCertificate.producer_name_folded.contains(folded, autoescape=True),
            ImportedCertificate.province_id.in_(provinces)))
    return here, paper


def search(q, page, today):
    """One page of registry entries matching ``q`` (everything when empty), newest year first."""
    rows = union_all(*_queries(q)).subquery()
    total = db.session.scalar(select(func.count()).select_from(rows))
    page = min(max(page, 1), max(1, math.ceil(total / PER_PAGE)))
    found = db.session.execute(select(rows.c.kind, rows.c.id).order_by(
        rows.c.year.desc(), rows.c.number, rows.c.kind).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    here = {c.id: c for c in db.session.scalars(select(Certificate).where(
        Certificate.id.in_([r.id for r in found if r.kind == "here"])))}
    paper = {i.id: i for i in db.session.scalars(select(ImportedCertificate).where(
        ImportedCertificate.id.in_([r.id for r in found if r.kind == "paper"])))}
    items = [entry_for_certificate(here[r.id], today) if r.kind == "here" else entry_for_imported(paper[r.id], today)
             for r in found]
    return Page(items, page, total)


def find_by_number(number, today):
    """The entry whose number is ``number`` (case and spaces ignored), or None."""
    key = number_key(number or "")
    if not key:
        return None
    imported = db.session.scalar(select(ImportedCertificate).where(
        _number_expr(ImportedCertificate.number) == key))
    if imported is not None:
        return entry_for_imported(imported, today)
    certificate = db.session.scalar(select(Certificate).where(_number_expr(Certificate.number) == key))
    if certificate is None:
        return None
    if certificate.imported_certificate is not None:
        return entry_for_imported(certificate.imported_certificate, today)
    return entry_for_certificate(certificate, today)


# Entries ------------------------------------------------------------------------------------------

def entry_for_certificate(certificate, today):
    facts = json.loads(certificate.snapshot)
    return Entry(
        number=certificate.number, product_name=facts.get("product_name", ""),
        group_name=facts.get("group_name", ""), producer_name=facts.get("producer_name", ""),
        province_name=facts.get("province_name", ""), province_then="", level=certificate.level,
        year=certificate.year, status=certificate.status_on(today),
        decision_number=facts.get("decision_number", ""),
        decision_on=date.fromisoformat(facts["decision_on"]) if facts.get("decision_on") else None,
        decision_authority=facts.get("decision_authority", ""), expires_on=certificate.expires_on,
        certificate=certificate)


def current_reissue(imported):
    return db.session.scalar(select(Certificate).where(
        Certificate.imported_certificate_id == imported.id, Certificate.status != CertificateStatus.SUPERSEDED))


def paper_status(imported, today):
    if imported.valid_until is None:
        return "unstated"
    return "expired" if today > imported.valid_until else "valid"


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

@blueprint.get("/")
@public
def index():
    """Search the registry; a query that is exactly a known number opens that certificate's page."""
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    page = request.args.get("page", 1, type=int) or 1
    today = today_vn()
    if query:
        exact = find_by_number(query, today)
        if exact is not None:
            return redirect(url_for("registry.certificate", number=exact.number))
    return render_template("registry/index.html", q=query, page=search(query, page, today), today=today)


@blueprint.get("/certificates/<path:number>", merge_slashes=False)
@public
def certificate(number):
    """One certificate by its number; the number may hold "/" and spaces (percent-encoded in the URL)."""
    entry = find_by_number(number, today_vn())
    if entry is None:
        return render_template("registry/not_found.html", number=number[:MAX_QUERY]), 404
    return render_template("registry/certificate.html", entry=entry,
                           higher=higher_certificates(entry.certificate, entry.imported),
                           lower=lower_certificate(entry.certificate) if entry.certificate else None)
