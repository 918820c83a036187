"""Importing certificates issued on paper before the platform (giấy chứng nhận đã cấp trước đây).

All or nothing: every row is checked and every problem reported; a single refused
row means nothing is written. Problems (:class:`voting.operations.imports.Problem`, shared with the
paper nomination lists) carry a ``code`` and ``params`` that the view turns into translated messages
(:mod:`voting.views.import_messages`).
"""
import datetime
import difflib
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from voting.extensions import db
from voting.documents.import_workbook import (
    COLUMNS,
    WorkbookRejected,
    cell_text,
    read_table,
    source_digest,
)
from certificates.models import FIRST_YEAR, IMPORTED_LEVELS, Certificate, ImportedCertificate
from voting.models import FormerProvince, Level, Province
from voting.core.numbers import whole_number
from voting.operations.audit import record_event
from voting.operations.imports import Problem, RowCheck, group_codes
from voting.core.text import fold, fold_number, nfc
from certificates.registry.named import province_key

#: Cấp huyện ended and cấp xã began on this day (Thông tư 38/2025/TT-BCT).
DISTRICT_LEVEL_ENDS = datetime.date(2025, 7, 1)
_TEXT_LIMITS = {"number": 60, "decision_number": 60, "authority_name": 300, "product_name": 300,
                "producer_name": 300, "province": 100}
_HEADERS = {c.key: c.header for c in COLUMNS}
_CHUNK = 500


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    rows: int = 0
    imported: int = 0
    problems: list = field(default_factory=list)
    by_level: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.problems


def import_certificates(actor, rows_or_workbook_bytes, file_name, today):
    """Check every row and, when none is refused, insert them all; return the :class:`ImportReport`.

    :param rows_or_workbook_bytes: the bytes of an .xlsx file, or rows of cell values
        whose first row is the header.
    :param today: Vietnam's date, for "not in the future" and the current year.
    """
    file_name = nfc(file_name or "")[:255]
    if not isinstance(rows_or_workbook_bytes, bytes | bytearray):
        rows_or_workbook_bytes = [tuple(row) for row in rows_or_workbook_bytes]
    report = ImportReport(file_name, source_digest(rows_or_workbook_bytes))
    try:
        positions, body = read_table(rows_or_workbook_bytes, COLUMNS)
    except WorkbookRejected as rejection:
        report.problems.append(Problem(None, "", rejection.code, rejection.params))
        return report
    report.rows = len(body)
    records = _check_rows(body, positions, _References.load(), today, report.problems)
    if report.problems:
        report.problems.sort(key=lambda p: (p.row or 0, p.column))
        return report
    for record in records:
        record.imported_by_id = actor.id if actor is not None else None
        record.source_file_name = file_name
    db.session.add_all(records)
    report.imported = len(records)
    report.by_level = dict(sorted(Counter(r.level for r in records).items()))
    record_event(actor, "certificate.import", object_type="imported_certificate", object_id=report.sha256[:16],
                 data={"file_name": file_name, "sha256": report.sha256, "rows": report.rows,
                       "imported": report.imported, "by_level": report.by_level})
    return report


@dataclass
class _References:
    levels: dict
    groups: dict
    provinces: dict       # folded name -> (current province id or None, shown name)
    suggestions: dict     # folded name -> name as written in the reference data

    @classmethod
    def load(cls):
        levels = {}
        for level in db.session.scalars(select(Level).where(Level.code.in_(IMPORTED_LEVELS))):
            name = fold(level.name.split("(")[0])
            for alias in (level.code, fold(level.code.replace("_", " ")), name, name.removeprefix("cap ")):
                levels[alias] = level.code
        groups = group_codes()
        provinces, suggestions = {}, {}
        for former in db.session.scalars(select(FormerProvince)):
            provinces[former.name_folded] = former.current_province_id
            suggestions[former.name_folded] = former.name
        for province in db.session.scalars(select(Province)):  # a current name wins over a former one
            provinces[province.name_folded] = province.id
            suggestions[province.name_folded] = province.name
        return cls(levels, groups, provinces, suggestions)


def _paper_key(record):
    """What a paper certificate's number is unique within: its authority (as printed) and year."""
    return fold(record.authority_name), record.year, fold_number(record.number)


def _check_rows(body, positions, refs, today, problems):
    records, first_seen = [], {}
    for row_number, values in body:
        record = _check_row(row_number, values, positions, refs, today, problems)
        if record is None:
            continue
        key = _paper_key(record)
        if key in first_seen:
            problems.append(Problem(row_number, _HEADERS["number"], "duplicate_in_file",
                                    {"number": record.number, "first_row": first_seen[key]}))
            continue
        first_seen[key] = row_number
        records.append(record)
    taken = _numbers_taken(records)
    for record in records:
        key = _paper_key(record)
        if key in taken["paper"] or (key[2], record.year) in taken["issued"]:
            problems.append(Problem(record.row_number, _HEADERS["number"], "duplicate_in_database",
                                    {"number": record.number}))
    return records


def _numbers_taken(records):
    """The numbers of ``records`` already in use: ``{"paper": {(authority, year, number)}, "issued":
    {(number, year)}}`` (folded: :func:`voting.core.text.fold`, :func:`voting.core.text.fold_number`).
    Official numbers such as "15/GCN-UBND" repeat across provinces and years: a paper certificate's
    number is unique within its authority (as printed) and year; one issued here within its authority
    and year, so it clashes with a paper one of its year only."""
    keys = sorted({fold_number(r.number) for r in records})
    taken = {"paper": set(), "issued": set()}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start:start + _CHUNK]
        for authority, year, number in db.session.execute(select(
                ImportedCertificate.authority_name, ImportedCertificate.year, ImportedCertificate.number_folded)
                .where(ImportedCertificate.number_folded.in_(chunk))):
            taken["paper"].add((fold(authority), year, number))
        taken["issued"].update(tuple(row) for row in db.session.execute(select(
            Certificate.number_folded, Certificate.year).where(Certificate.number_folded.in_(chunk))))
    return taken


def _check_row(row_number, values, positions, refs, today, problems):
    """Return the row as an unsaved :class:`ImportedCertificate`, or None after adding its problems."""
    row = RowCheck(row_number, values, positions, _HEADERS)
    problem, cell = row.problem, row.cell
    texts = row.texts(_TEXT_LIMITS)
    level = row.code(refs.levels, "level", "level_unknown")
    group = row.code(refs.groups, "group", "group_unknown")
    year = _year(cell("year"), today, lambda code, **p: problem("year", code, **p))
    decision_on = row.date("decision_on", required=True)
    valid_until = row.date("valid_until")
    if decision_on and decision_on > today:
        problem("decision_on", "date_future", date=decision_on.strftime("%d/%m/%Y"))
    if decision_on and valid_until and valid_until <= decision_on:
        problem("valid_until", "valid_before_decision")
    if decision_on and level == "huyen" and decision_on >= DISTRICT_LEVEL_ENDS:
        problem("level", "district_level_ended")
    if decision_on and level == "xa" and decision_on < DISTRICT_LEVEL_ENDS:
        problem("level", "commune_level_not_yet")
    province_id = None
    if texts["province"]:
        province_id, known = _province(refs, texts["province"])
        if not known:
            problem("province", "province_unknown", value=texts["province"],
                    suggestion=_suggest(refs, texts["province"]))
    if row.problems:
        problems.extend(row.problems)
        return None
    return ImportedCertificate(
        number=texts["number"], level=level, year=year, decision_number=texts["decision_number"],
        decision_on=decision_on, authority_name=texts["authority_name"],
        product_name=texts["product_name"], product_name_folded=fold(texts["product_name"]),
        group_code=group, producer_name=texts["producer_name"],
        producer_name_folded=fold(texts["producer_name"]), province_name_then=texts["province"],
        province_id=province_id, valid_until=valid_until, row_number=row_number,
    )


def _year(value, today, report):
    text = cell_text(value)
    if not text:
        report("required")
        return None
    year = whole_number(text)
    if year is None or year < 0:
        report("year_malformed", value=text)
        return None
    if not FIRST_YEAR <= year <= today.year:
        report("year_out_of_range", first=FIRST_YEAR, last=today.year)
        return None
    return year


def _province(refs, name):
    """Return (current province id or None, whether the name is known)."""
    key = province_key(name)
    if key in refs.provinces:
        return refs.provinces[key], True
    return None, False


def _suggest(refs, name):
    close = difflib.get_close_matches(province_key(name), list(refs.suggestions), n=1, cutoff=0.6)
    return refs.suggestions[close[0]] if close else ""
