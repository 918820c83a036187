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

The validity of a paper certificate ("Hiệu lực đến") is never assumed: the rules set no
validity period (docs: "unconfirmed", a per-round setting of the issuing round, which is
not on the platform), so a row whose expiry is neither written nor already known is
refused, as the round only takes certificates still valid on its registration deadline.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from voting.rules.eligibility import (
    NOMINATED_FROM,
    nominations_from_province,
    paper_list_problems,
    paper_nomination_problems,
)
from voting.core.errors import DomainError
from voting.extensions import db
from voting.documents.import_workbook import (
    Column,
    WorkbookRejected,
    cell_date,
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
    Level,
    Nomination,
    Producer,
    ProducerType,
    Product,
    Round,
)
from voting.models.base import utcnow
from voting.rules.certification import FIRST_YEAR, PaperCertificateRecord, certification
from voting.operations.audit import record_event
from voting.operations.imports import Problem, group_codes, lookup_code
from voting.rules.permissions import can_manage_round
from voting.core.text import fold, fold_number, nfc
from voting.rules.validation import registration_number_problem

#: A province nominates tens of entries; a file this long is a mistake, not a list.
MAX_ROWS = 500
SHEET_TITLE = "De cu"
#: Required texts and their lengths (those of the columns they are stored in).
_TEXT_LIMITS = {"product_name": 300, "producer_name": 300, "address": 300, "decision_number": 60, "number": 60}
#: How paper lists commonly write a producer type, besides its code and full name (folded).
_TYPE_ALIASES = {"doanh nghiep": "dnnvv", "cong ty": "dnnvv", "dnnvv": "dnnvv", "ho kinh doanh ca the": "hkd"}
_LEVEL_WORDS = {"tinh": "cấp tỉnh", "khu_vuc": "cấp khu vực"}


def nomination_columns(certificate_level="tinh"):
    """The list's columns, in the template's order, for certificates of ``certificate_level``.

    The decision column names the level ("Số quyết định cấp tỉnh"); plain "Số quyết định"
    is accepted too, as is "Có giá trị đến" (the past-certificates template's name) for the expiry.
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
        Column("valid_until", "Hiệu lực đến", False, 14, ("Có giá trị đến",)),
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


@dataclass
class _Row:
    """A checked row: what it names, matched to the platform where possible."""

    row_number: int
    texts: dict
    registration_number: str | None
    type_code: str
    group_code: str
    decision_on: date
    valid_until: date | None
    producer: Producer | None
    producer_key: tuple
    product: Product | None
    certificate: PaperCertificateRecord | None
    application: Application | None = None


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
    checker = _Checker(target_round, province, level, {c.key: c.header for c in columns}, positions, today)
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


class _Checker:
    """Checks rows one by one, keeping what earlier rows of the file claimed."""

    def __init__(self, target_round, province, level, headers, positions, today):
        self.round, self.province, self.level, self.today = target_round, province, level, today
        self.headers, self.positions = headers, positions
        self.groups = group_codes()
        self.types = _type_codes()
        self.standing = nominations_from_province(target_round, province.id)
        self.problems = []
        self.numbers, self.products = {}, {}  # key -> first row number

    def check(self, body):
        rows = []
        for index, (row_number, values) in enumerate(body):
            row = self._check_row(index, row_number, values)
            if row is not None:
                rows.append(row)
        return rows

    def _check_row(self, index, row_number, values):
        found = []

        def problem(key, code, **params):
            found.append(Problem(row_number, self.headers.get(key, ""), code, params))

        def cell(key):
            position = self.positions.get(key)
            return values[position] if position is not None and position < len(values) else None

        texts = {key: cell_text(cell(key)) for key in _TEXT_LIMITS}
        for key, limit in _TEXT_LIMITS.items():
            if not texts[key]:
                problem(key, "required")
            elif len(texts[key]) > limit:
                problem(key, "too_long", max=limit)
        type_code = lookup_code(self.types, cell("producer_type"), lambda: problem(
            "producer_type", "producer_type_unknown", value=cell_text(cell("producer_type"))))
        group_code = lookup_code(self.groups, cell("group"), lambda: problem(
            "group", "group_unknown", value=cell_text(cell("group"))))
        registration = "".join(cell_text(cell("registration_number")).split()) or None
        if registration and type_code and registration_number_problem(type_code, registration):
            problem("registration_number", "registration_malformed", value=registration)
        decision_on = cell_date(cell("decision_on"), lambda code, **p: problem("decision_on", code, **p),
                                required=True)
        valid_until = cell_date(cell("valid_until"), lambda code, **p: problem("valid_until", code, **p))
        if decision_on and decision_on > self.today:
            problem("decision_on", "date_future", date=_dmy(decision_on))
        elif decision_on and decision_on.year < FIRST_YEAR:
            problem("decision_on", "year_out_of_range", first=FIRST_YEAR, last=self.today.year)
        if valid_until and decision_on and valid_until <= decision_on:
            problem("valid_until", "valid_before_decision")
        if found:
            self.problems.extend(found)
            return None

        number_key = fold_number(texts["number"])
        if number_key in self.numbers:
            problem("number", "duplicate_in_file", number=texts["number"], first_row=self.numbers[number_key])
        else:
            self.numbers[number_key] = row_number
        certificate = self._certificate(texts, decision_on, valid_until, problem)
        producer = self._producer(texts, registration, problem)
        product = self._product(producer, texts, group_code, problem) if producer is not None else None
        producer_key = ("id", producer.id) if producer is not None else \
            ("registration", registration) if registration else ("name", fold(texts["producer_name"]))
        product_key = (producer_key, fold(texts["product_name"]))
        if product_key in self.products:
            problem("product_name", "duplicate_product_in_file", product=texts["product_name"],
                    first_row=self.products[product_key])
        else:
            self.products[product_key] = row_number
        application = None
        if product is not None:
            application = db.session.scalar(select(Application).where(
                Application.round_id == self.round.id, Application.product_id == product.id))
            if (application is not None and application.status == ApplicationStatus.WITHDRAWN
                    and _targeted_by_another(application, certificate)):
                problem("product_name", "withdrawn_elsewhere", product=product.name)
        effective_until = (certificate.valid_until if certificate is not None else None) or valid_until
        for code in paper_nomination_problems(
                self.round, self.province, self.today, certificate_level=certificate.level if certificate else
                self.level, valid_until=effective_until, imported_certificate=certificate, product=product,
                earlier_in_list=index):
            self._eligibility_problem(code, problem, texts, certificate, effective_until, index)
        if found:
            self.problems.extend(found)
            return None
        return _Row(row_number, texts, registration, type_code, group_code, decision_on, valid_until,
                    producer, producer_key, product, certificate, application)

    def _certificate(self, texts, decision_on, valid_until, problem):
        """The paper certificate already imported under the row's number, if any, after checking it is the same."""
        number = texts["number"]
        key = fold_number(number)
        platform, imported = certification().find_by_number(key)
        if platform is not None and (imported is None or not certification().is_reissue_of(platform, imported)):
            problem("number", "certificate_on_platform", number=number)
            return None
        if imported is None:
            return None
        if (imported.product_name_folded != fold(texts["product_name"])
                or imported.producer_name_folded != fold(texts["producer_name"])):
            problem("number", "certificate_other_entry", number=number, product=imported.product_name,
                    producer=imported.producer_name)
            return None
        if imported.province_id is not None and imported.province_id != self.province.id:
            problem("number", "certificate_other_province", number=number, province=imported.province_name_then)
            return None
        differing = []
        if fold(imported.decision_number) != fold(texts["decision_number"]):
            differing.append(self.headers["decision_number"])
        if imported.decision_on != decision_on:
            differing.append(self.headers["decision_on"])
        if imported.valid_until is not None and valid_until is not None and imported.valid_until != valid_until:
            differing.append(self.headers["valid_until"])
        if differing:
            problem("number", "certificate_details_differ", number=number, columns=", ".join(differing))
        return imported

    def _producer(self, texts, registration, problem):
        """The producer on the platform the row names: by registration number, else by name in the province."""
        if registration:
            producer = db.session.scalar(select(Producer).where(Producer.registration_number == registration))
            if producer is not None:
                if producer.province_id != self.province.id:
                    problem("registration_number", "producer_other_province", value=registration,
                            name=producer.name, province=producer.province.name)
                    return None
                return producer
        query = select(Producer).where(Producer.province_id == self.province.id,
                                       Producer.name_folded == fold(texts["producer_name"]))
        if registration:  # a producer with another number is another producer of the same name
            query = query.where(Producer.registration_number.is_(None))
        candidates = db.session.scalars(query.order_by(Producer.id)).all()
        if len(candidates) > 1:
            problem("producer_name", "producer_ambiguous", name=texts["producer_name"], count=len(candidates))
            return None
        return candidates[0] if candidates else None

    def _product(self, producer, texts, group_code, problem):
        candidates = db.session.scalars(select(Product).where(
            Product.producer_id == producer.id, Product.name_folded == fold(texts["product_name"]))
            .order_by(Product.id)).all()
        if len(candidates) > 1:
            problem("product_name", "product_ambiguous", product=texts["product_name"], count=len(candidates))
            return None
        if not candidates:
            return None
        product = candidates[0]
        if product.group_code != group_code:
            problem("group", "group_differs", product=product.name, existing=product.group_code, value=group_code)
        return product

    def _eligibility_problem(self, code, problem, texts, certificate, valid_until, index):
        number = texts["number"]
        if code == "not_level_below":
            problem("number", code, number=number, level=_level_name(certificate.level if certificate else ""),
                    expected=_level_name(self.level))
        elif code == "certificate_not_valid":
            problem("number", code, number=number)
        elif code == "validity_unknown":
            problem("valid_until", code)
        elif code == "certificate_expires":
            problem("valid_until", code, date=_dmy(valid_until),
                    deadline=_dmy(self.round.registration_closes_on))
        elif code == "already_nominated":
            problem("number", code, number=number)
        elif code == "already_applied":
            problem("product_name", code, product=texts["product_name"])
        elif code == "quota_reached":
            problem("", code, quota=self.round.nomination_quota, province=self.province.name,
                    standing=self.standing, position=self.standing + index + 1)
        else:  # the list-wide rules were checked before the rows
            problem("", code)


def _targeted_by_another(application, certificate):
    """True if a nomination other than this paper certificate's names the (withdrawn) entry: an entry is the
    target of one nomination only, so it cannot be reused for this one."""
    nomination = db.session.scalar(select(Nomination).where(Nomination.target_application_id == application.id))
    if nomination is None:
        return False
    return certificate is None or nomination.source_imported_certificate_id != certificate.id


def _type_codes():
    types = {}
    for producer_type in db.session.scalars(select(ProducerType)):
        types[producer_type.code] = types[fold(producer_type.name)] = producer_type.code
    types.update({alias: code for alias, code in _TYPE_ALIASES.items() if code in types.values()})
    return types


def _level_name(code):
    level = db.session.scalar(select(Level).where(Level.code == code)) if code else None
    return level.name.split(" (")[0].lower() if level is not None else code


def _dmy(day):
    return day.strftime("%d/%m/%Y") if day else ""


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
        return authority.name if authority is not None else f"Ủy ban nhân dân {province.kind} {province.name}"
    authorities = db.session.scalars(select(IssuingAuthority).where(
        IssuingAuthority.jurisdiction_level == JurisdictionLevel.REGION).order_by(IssuingAuthority.id)).all()
    own = [a for a in authorities if a.region_id == province.region_id] or [a for a in authorities if a.region_id is None]
    return own[0].name if own else "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"
