"""The rows of a paper nomination list, checked one by one against the platform and the rules.

:func:`voting.operations.nomination_imports.import_nomination_list` reads the file and writes the
entries; this module decides, for every row, what it names (a producer, a product, a paper
certificate already on the platform) and what is wrong with it, remembering what earlier rows of
the same file claimed.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from voting.core.text import fold, fold_number
from voting.documents.import_workbook import cell_text
from voting.extensions import db
from voting.models import Application, ApplicationStatus, Level, Nomination, Producer, ProducerType, Product
from voting.operations.imports import RowCheck, group_codes
from voting.rules.certification import FIRST_YEAR, PaperCertificateRecord, certification
from voting.rules.eligibility import nominations_from_province, paper_nomination_problems
from voting.rules.validation import registration_number_problem


#: Required texts and their lengths (those of the columns they are stored in).
TEXT_LIMITS = {"product_name": 300, "producer_name": 300, "address": 300, "decision_number": 60, "number": 60}
#: How paper lists commonly write a producer type, besides its code and full name (folded).
_TYPE_ALIASES = {"doanh nghiep": "dnnvv", "cong ty": "dnnvv", "dnnvv": "dnnvv", "ho kinh doanh ca the": "hkd"}


@dataclass
class NominationRow:
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


class NominationChecker:
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
        row = RowCheck(row_number, values, self.positions, self.headers)
        found, problem, cell = row.problems, row.problem, row.cell
        texts = row.texts(TEXT_LIMITS)
        type_code = row.code(self.types, "producer_type", "producer_type_unknown")
        group_code = row.code(self.groups, "group", "group_unknown")
        registration = "".join(cell_text(cell("registration_number")).split()) or None
        if registration and type_code and registration_number_problem(type_code, registration):
            problem("registration_number", "registration_malformed", value=registration)
        decision_on = row.date("decision_on", required=True)
        valid_until = row.date("valid_until")
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
        return NominationRow(row_number, texts, registration, type_code, group_code, decision_on, valid_until,
                    producer, producer_key, product, certificate, application)

    def _certificate(self, texts, decision_on, valid_until, problem):
        """The paper certificate already imported under the row's number, if any, after checking it is the same."""
        number = texts["number"]
        key = fold_number(number)
        platforms, papers = certification().find_by_number(key)
        imported = _paper_named(papers, self.province, texts)
        # A certificate of this province issued on the platform is nominated there, not from paper; one of
        # another province may bear the same official number ("15/GCN-UBND") and is no concern here.
        mine = [p for p in papers if p.province_id in (None, self.province.id)]
        if any(not (imported is not None and certification().is_reissue_of(c, imported))
               and (c.application.producer.province_id == self.province.id if c.application is not None
                    else any(certification().is_reissue_of(c, p) for p in mine))  # a paper one re-issued
               for c in platforms):
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


def _paper_named(papers, province, texts):
    """The paper certificate a row of ``province``'s list names among ``papers`` of its number, or None.

    One of that number is the one (its province and names are then checked against the row). Several
    (provinces share official numbers such as "15/GCN-UBND"): the one of this province, or among several
    of it the one for this product and producer; None when the province has none (the row records its own).
    """
    if len(papers) <= 1:
        return papers[0] if papers else None
    mine = [p for p in papers if p.province_id == province.id] or [p for p in papers if p.province_id is None]
    fitting = [p for p in mine if p.product_name_folded == fold(texts["product_name"])
               and p.producer_name_folded == fold(texts["producer_name"])]
    if len(fitting) == 1:
        return fitting[0]
    return mine[0] if mine else None  # several of this province and none fits: the row is refused for it
