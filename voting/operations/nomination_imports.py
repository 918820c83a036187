"""Importing a province's paper nomination list (danh sách trích ngang) into a regional or national round.

Provinces on the platform nominate with :func:`voting.operations.nominations.nominate`;
a province still on paper sends the higher round's organiser an Excel list, one row per
entry, which the organiser imports here. Each row names a certificate of the level below
the round (cấp tỉnh for a regional round, cấp khu vực for the national one).

All or nothing, like the past-certificates import (sharing the helpers of :mod:`voting.operations.imports`): every
row is checked — its cells, then the eligibility rules of
:func:`voting.rules.eligibility.paper_nomination_problems` — and a single refused row means
nothing is written. When none is refused, each row is matched to the producer and the
product already on the platform (producer by registration number, else by name within
the province; product by name within the producer) or they are created marked as
imported; the paper certificate is recorded (or the one already imported is reused), and
the entry is submitted to the round with a nomination counted against the province.

The validity of a paper certificate ("Có giá trị đến") is never assumed: the rules set no
validity period (docs: "unconfirmed", a per-round setting of the issuing round, which is
not on the platform), so a row whose expiry is neither written nor already known is
refused, as the round only takes certificates still valid on its registration deadline.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from voting.rules.eligibility import (
    NOMINATED_FROM,
    paper_list_problems,
)
from voting.core.errors import DomainError
from voting.extensions import db
from voting.documents.import_workbook import (
    Column,
    WorkbookRejected,
    cell_text,
    read_table,
    source_digest,
)
from voting.core.locking import lock_row
from voting.models import (
    Application,
    ApplicationStatus,
    IssuingAuthority,
    JurisdictionLevel,
    Nomination,
    Producer,
    Product,
    Round,
)
from voting.models.base import utcnow
from voting.models.round import COMMITMENTS_NOMINATED
from voting.rules.certification import certification
from voting.operations.audit import record_event
from voting.operations.imports import Problem
from voting.operations.nomination_rows import NominationChecker
from voting.rules.permissions import can_manage_round
from voting.core.text import fold, nfc

#: A province nominates tens of entries; a file this long is a mistake, not a list.
MAX_ROWS = 500
SHEET_TITLE = "Đề cử"
_LEVEL_WORDS = {"tinh": "cấp tỉnh", "khu_vuc": "cấp khu vực"}


def nomination_columns(certificate_level="tinh"):
    """The list's columns, in the template's order, for certificates of ``certificate_level``.

    The decision column names the level ("Số quyết định cấp tỉnh"); plain "Số quyết định"
    is accepted too, as is "Hiệu lực đến" (the name before issue 18) for the expiry.
    """
    return (
        Column("stt", "STT", False, 6),
        Column("product_name", "Tên sản phẩm", True, 36),
        Column("producer_name", "Tên cơ sở", True, 36),
        Column("producer_type", "Loại hình cơ sở", True, 18, ("Loại hình",)),
        Column("registration_number", "Mã số đăng ký", False, 16,
               ("Mã số doanh nghiệp", "Mã số đăng ký kinh doanh")),
        Column("address", "Địa chỉ", True, 40),
        Column("group", "Nhóm sản phẩm", True, 10),
        Column("decision_number", f"Số quyết định {_LEVEL_WORDS[str(certificate_level)]}", True, 18,
               ("Số quyết định",)),
        Column("decision_on", "Ngày quyết định", True, 14),
        Column("number", "Số giấy chứng nhận", True, 20),
        Column("valid_until", "Có giá trị đến", False, 14, ("Hiệu lực đến",)),
    )


def example_row(certificate_level="tinh"):
    """The template's example row: a provincial certificate (regional round) or a regional one (national)."""
    if str(certificate_level) == "khu_vuc":
        return (1, "Miến dong Sơn Dương (ví dụ)", "Hợp tác xã miến dong mẫu", "Hợp tác xã", "5000123456",
                "Thôn Cầu Cao, xã Sơn Dương, tỉnh Tuyên Quang", 2, "388/QĐ-CTĐP", date(2024, 11, 8),
                "KV-2024-0001", date(2027, 11, 8))
    return (1, "Miến dong Sơn Dương (ví dụ)", "Hợp tác xã miến dong mẫu", "Hợp tác xã", "5000123456",
            "Thôn Cầu Cao, xã Sơn Dương, tỉnh Tuyên Quang", 2, "2155/QĐ-UBND", date(2025, 11, 28),
            "GCN-TQ-2025-001", date(2028, 11, 28))


@dataclass
class NominationImportReport:
    """What an import found (``problems``) or did (the counts)."""

    file_name: str
    sha256: str
    rows: int = 0
    nominated: int = 0
    producers_created: int = 0
    producers_matched: int = 0
    products_created: int = 0
    products_matched: int = 0
    certificates_created: int = 0
    certificates_matched: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def import_nomination_list(actor, target_round, province, rows_or_workbook_bytes, file_name, today):
    """Check every row of ``province``'s paper list and, when none is refused, nominate them all.

    :param rows_or_workbook_bytes: the bytes of an .xlsx file, or rows of cell values whose first
        row is the header.
    :param today: Vietnam's date (the round must be open; decisions may not be in the future).
    :return: a :class:`NominationImportReport`; nothing is written unless ``report.ok``.
    :raise DomainError: ``organiser_only`` unless the actor manages ``target_round``.
    """
    if not can_manage_round(actor, target_round):
        raise DomainError("organiser_only")
    file_name = nfc(file_name or "")[:255]
    if not isinstance(rows_or_workbook_bytes, bytes | bytearray):
        rows_or_workbook_bytes = [tuple(row) for row in rows_or_workbook_bytes]
    report = NominationImportReport(file_name, source_digest(rows_or_workbook_bytes))
    # Serialise nominations to one round, so that two imports never both take a province's last place.
    lock_row(Round, target_round.id)
    refused = paper_list_problems(target_round, province, today)
    if refused:
        report.problems = [Problem(None, "", code, _list_params(code, target_round, province)) for code in refused]
        return report
    level = str(NOMINATED_FROM[target_round.jurisdiction_level])
    columns = nomination_columns(level)
    try:
        positions, body = read_table(rows_or_workbook_bytes, columns, MAX_ROWS)
        # Lists are often numbered further down than they are filled: a row with nothing but its STT is blank.
        body = [(number, values) for number, values in body if _filled(values, positions)]
        if not body:
            raise WorkbookRejected("no_rows")
    except WorkbookRejected as rejection:
        report.problems.append(Problem(None, "", rejection.code, rejection.params))
        return report
    report.rows = len(body)
    checker = NominationChecker(target_round, province, level, {c.key: c.header for c in columns}, positions, today)
    rows = checker.check(body)
    report.problems = sorted(checker.problems, key=lambda p: (p.row or 0, p.column))
    if report.problems:
        return report
    _write(actor, target_round, province, level, rows, report)
    return report


def _filled(values, positions):
    stt = positions.get("stt")
    return any(cell_text(value) for index, value in enumerate(values) if index != stt)


def _list_params(code, target_round, province):
    params = {"province": province.name}
    if code == "round_not_open":
        params.update(opens=target_round.registration_opens_on.strftime("%d/%m/%Y"),
                      closes=target_round.registration_closes_on.strftime("%d/%m/%Y"))
    if code == "other_region":
        params["region"] = target_round.region.name if target_round.region is not None else ""
    return params


def _write(actor, target_round, province, level, rows, report):
    """Create what is missing and nominate every row (all rows were checked)."""
    now = utcnow()
    authority_name = _authority_name(level, province)
    new_producers, new_products = {}, {}
    producers_created, products_created, nominations = [], [], []
    for row in rows:
        producer = row.producer or new_producers.get(row.producer_key)
        if producer is None:
            producer = Producer(name=row.texts["producer_name"], name_folded=fold(row.texts["producer_name"]),
                                type_code=row.type_code, registration_number=row.registration_number,
                                province_id=province.id, address=row.texts["address"], imported_at=now)
            db.session.add(producer)
            new_producers[row.producer_key] = producer
            producers_created.append(producer)
        product_key = (row.producer_key, fold(row.texts["product_name"]))
        product = row.product or new_products.get(product_key)
        if product is None:
            product = Product(producer=producer, name=row.texts["product_name"],
                              name_folded=fold(row.texts["product_name"]), group_code=row.group_code,
                              imported_at=now)
            db.session.add(product)
            new_products[product_key] = product
            products_created.append(product)
        else:
            report.products_matched += 1
        certificate = row.certificate
        if certificate is None:
            certificate = certification().record_paper_certificate(
                number=row.texts["number"], level=level, year=row.decision_on.year,
                decision_number=row.texts["decision_number"], decision_on=row.decision_on,
                authority_name=authority_name, product_name=row.texts["product_name"],
                product_name_folded=fold(row.texts["product_name"]), group_code=row.group_code,
                producer_name=row.texts["producer_name"], producer_name_folded=fold(row.texts["producer_name"]),
                province_name_then=province.name, province_id=province.id, valid_until=row.valid_until,
                imported_by_id=actor.id, source_file_name=report.file_name, row_number=row.row_number,
                product=product)
            report.certificates_created += 1
        else:
            report.certificates_matched += 1
            if certificate.valid_until is None:
                certificate.valid_until = row.valid_until  # the province states it now; the event records it
            if certificate.product_id is None:
                certificate.product = product  # the list says which product the paper certificate was for
        application = row.application
        if application is None:
            application = Application(round=target_round, product=product, producer=producer)
            db.session.add(application)
        application.status = ApplicationStatus.SUBMITTED
        application.entry_code = None
        application.withdrawal_reason = application.organiser_message = ""
        application.submitted_at = now
        application.decided_at = application.decided_by_id = None
        # Put forward on the province's paper list: nobody asked its producer for the registration form here.
        application.commitments, application.commitments_given_at = COMMITMENTS_NOMINATED, None
        nomination = None
        if row.certificate is not None:  # a withdrawn paper nomination of the same certificate comes back
            nomination = db.session.scalar(select(Nomination).where(
                Nomination.target_round_id == target_round.id,
                Nomination.source_imported_certificate_id == certificate.id))
        if nomination is None:
            nomination = Nomination(source_imported_certificate=certificate, target_round=target_round)
            db.session.add(nomination)
        nomination.province_id = province.id
        nomination.target_application = application
        nomination.nominated_by_id, nomination.nominated_at = actor.id, now
        nomination.withdrawn_at = nomination.withdrawn_by_id = None
        nominations.append((row, nomination))
    report.producers_created, report.products_created = len(producers_created), len(products_created)
    report.producers_matched = len({r.producer.id for r in rows if r.producer is not None})
    report.nominated = len(nominations)
    db.session.flush()
    for row, nomination in nominations:
        record_event(actor, "nomination.create", nomination, data={
            "source": "paper_list", "certificate": nomination.source_imported_certificate.number,
            "valid_until": nomination.source_imported_certificate.valid_until, "province": province.code,
            "target_round": target_round.id, "target_application": nomination.target_application_id,
            "file_sha256": report.sha256, "row": row.row_number})
    record_event(actor, "nomination.import", target_round, data={
        "file_name": report.file_name, "sha256": report.sha256, "province": province.code, "rows": report.rows,
        "nominated": report.nominated, "producers_created": [p.id for p in producers_created],
        "producers_matched": report.producers_matched, "products_created": [p.id for p in products_created],
        "products_matched": report.products_matched, "certificates_created": report.certificates_created,
        "certificates_matched": report.certificates_matched})


def _authority_name(level, province):
    """The issuing authority written on a paper certificate of ``level`` from ``province`` (the list names none)."""
    if level == JurisdictionLevel.PROVINCE:
        authority = db.session.scalar(select(IssuingAuthority).where(
            IssuingAuthority.jurisdiction_level == JurisdictionLevel.PROVINCE,
            IssuingAuthority.province_id == province.id).order_by(IssuingAuthority.id))
        return authority.name if authority is not None else f"Ủy ban nhân dân {province.full_name}"
    authorities = db.session.scalars(select(IssuingAuthority).where(
        IssuingAuthority.jurisdiction_level == JurisdictionLevel.REGION).order_by(IssuingAuthority.id)).all()
    own = [a for a in authorities if a.region_id == province.region_id] or [a for a in authorities if a.region_id is None]
    return own[0].name if own else "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"
