"""Certificate numbers: sequential per issuing authority, level and year, never duplicated, never skipped.

New authorities number in the official form "<seq>/<symbol>" ("15/GCN-UBND"), which repeats across
authorities and years: a number is unique per (authority, year) (a constraint on ``certificate``),
and a lookup by number alone may find several certificates (:func:`certificates_numbered`).

The counter row is incremented with ``UPDATE … RETURNING`` in the issuing
transaction. On PostgreSQL the UPDATE holds the row lock until commit, so two
issuances for the same authority, level and year take turns; on SQLite the
database has a single writer. A rolled-back issuance rolls its increment back
with it, so a number is used exactly when its certificate exists.
"""
import string

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from voting.extensions import db
from voting.models.authority import OFFICIAL_NUMBER_TEMPLATE
from voting.core.text import fold_number
from certificates.models import Certificate, CertificateCounter

DEFAULT_TEMPLATE = OFFICIAL_NUMBER_TEMPLATE
#: The template of authorities created before official numbering (they keep it).
FORMER_TEMPLATE = "{code}-{year}-{seq:04d}"
TEMPLATE_FIELDS = {"code", "year", "level", "seq"}
#: Short level codes for templates that name the level.
LEVEL_CODES = {"xa": "X", "tinh": "T", "khu_vuc": "KV", "quoc_gia": "QG"}


class TemplateInvalid(ValueError):
    pass


def check_template(template):
    """Refuse templates that name unknown fields or leave the sequence out (numbers would repeat)."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        template.format(code="X", year=2026, level="T", seq=1)
    except (ValueError, KeyError, IndexError) as error:
        raise TemplateInvalid(str(error)) from None
    if not fields <= TEMPLATE_FIELDS:
        raise TemplateInvalid(f"unknown fields: {sorted(fields - TEMPLATE_FIELDS)}")
    if "seq" not in fields:
        raise TemplateInvalid("the template must contain {seq}")
    return template


def take_sequence(authority_id, level, year):
    """Reserve the next sequence number for (authority, level, year) in the current transaction."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(CertificateCounter).values(
        authority_id=authority_id, level=level, year=year, last_sequence=0).on_conflict_do_nothing())
    return db.session.execute(
        update(CertificateCounter)
        .where(CertificateCounter.authority_id == authority_id, CertificateCounter.level == level,
               CertificateCounter.year == year)
        .values(last_sequence=CertificateCounter.last_sequence + 1)
        .returning(CertificateCounter.last_sequence)).scalar_one()


def format_number(authority, level, year, sequence):
    template = authority.number_template or DEFAULT_TEMPLATE
    return template.format(code=authority.code, year=year, level=LEVEL_CODES.get(level, level), seq=sequence)


def certificates_numbered(number):
    """Every certificate issued here whose number folds like ``number`` (case, spaces, diacritics
    ignored: :func:`voting.core.text.fold_number`), oldest year first, then by authority: one number
    may be used by several authorities, or by one authority in several years."""
    key = fold_number(number or "")
    if not key:
        return []
    return list(db.session.scalars(select(Certificate).where(Certificate.number_folded == key)
                                   .order_by(Certificate.year, Certificate.authority_id, Certificate.id)))
