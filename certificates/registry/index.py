"""Keeping the public registry's search table (``registry_entry``) current.

One row per certified product on the platform (a product with a certificate issued here, or
a paper certificate linked to it) and one per paper certificate linked to no product; each
row lists its certificates in ``registry_certificate``. The row holds what the registry
shows: the names of product, producer, province and group *as certified*
(:mod:`certificates.rules.certified`: each certificate row its own, from its snapshot or as printed
on paper; the entry those of its headline certificate), the product's and producer's current
names beside them, and two search texts:

- ``search_text``: ``voting.core.text.fold`` of product, producer and province names as certified
  and now, the former provinces merged into the current unit, the group and the certificate
  numbers. Folding removes case, diacritics
  ("đ" as "d"), tone-mark placement and Unicode form, so the database only ever sees plain
  lower-case text. It is indexed twice on each database: by words and their prefixes (SQLite FTS5
  ``unicode61`` with prefix indexes, PostgreSQL a ``tsvector``; migration ``0021b_registry_fts``),
  what a search reads first, and by trigrams (migration ``0011_registry_search``), its fallback for
  words inside words (:mod:`certificates.registry.fulltext`). SQLite's triggers and PostgreSQL's
  generated column keep both in step with the row, in the statement that writes it. No
  ``unaccent``: one folding, in Python, for both.
- ``exact_text``: the same names in NFC and lower case, so that a query found as typed
  (same accents and tone-mark placement) ranks first.

:func:`refresh` rebuilds the rows of some products and paper certificates. It runs by itself
before every commit of a session that changed a product, producer, certificate or paper
certificate (an ORM ``after_flush`` hook notes what changed, ``before_commit`` refreshes it in
the same transaction), so every operation — issuing, suspending, revoking, correcting,
re-issuing, importing, editing a product or producer — keeps the registry current without
calling it. Writes through bulk SQL statements bypass the hook: run ``flask --app wsgi
registry reindex`` after them, and after editing province or group names. Both build the rows
in bulk (:func:`_build`): a dozen statements per 1,000 rows, not several per row. Both recount, in the
same transaction, what the summary reports keep beside the rows (:mod:`certificates.registry.tally`): the
certificates per year, level, province and group, and the producers with their products.
"""
import functools
import json
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from flask import has_app_context
from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session, selectinload

from certificates.rules.certified import ProvinceNames, headline
from voting.extensions import db
from voting.models import Application, Producer, Product, ProductGroup
from certificates.models import Certificate, CertificateStatus, ImportedCertificate, RegistryCertificate, RegistryEntry
from certificates.models.registry import NO_EXPIRY
from certificates.registry.tally import hold_counts_lock, recount, recount_holders, touched
from voting.core.text import fold, nfc, province_key, province_name_key, sort_key

_PENDING = "registry_pending"
_CHANGED = "registry_changed"
_CHUNK = 500


# Folding is a third of a reindex's time, and the same names come again and again (provinces, groups,
# a product's names as certified and now): a reindex of 100,000 rows folds each distinct text once.
_fold = functools.lru_cache(maxsize=16_384)(fold)


def _lower(value):
    return (nfc(value) or "").lower()


def _chunks(ids):
    ids = sorted(i for i in ids if i is not None)
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


class _Reference:
    """Provinces, their former names and groups, loaded once per refresh."""

    def __init__(self):
        self.province_names = ProvinceNames()
        self.provinces = self.province_names.by_id
        self.former = self.province_names.former_names
        self.groups = {g.code: g.name for g in db.session.scalars(select(ProductGroup))}
        self.group_codes = {fold(name): code for code, name in self.groups.items()}


@dataclass
class _Certified:
    """A certificate's registry row (the values of a ``registry_certificate`` insert, ``entry_id``
    still to come), with the province and group it was certified in (for filters)."""

    row: dict
    province_id: int | None
    group_code: str

    # What :func:`certificates.rules.certified.headline` sorts and picks by.
    @property
    def year(self):
        return self.row["year"]

    @property
    def number(self):
        return self.row["number"]

    @property
    def status(self):
        return self.row["status"]


def _status_of_paper(paper, reissue):
    if reissue is not None:
        return str(reissue.status), reissue.expires_on, reissue.token
    return str(CertificateStatus.VALID), paper.valid_until, None


def _clip(value, length):
    # A snapshot's texts are bounded only by where they came from (300 characters for names); a
    # longer one must not make the commit that touched its certificate fail for the registry's copy.
    return (value or "")[:length]


def _issued(ref, certificate, product):
    """The row of a certificate issued here: the names of its snapshot."""
    facts = json.loads(certificate.snapshot or "{}")
    then = _clip(facts.get("province_name"), 100)
    province, now = ref.province_names.resolve(then)
    group_name = _clip(facts.get("group_name"), 200)
    row = dict(
        number=certificate.number, level=certificate.level, year=certificate.year, status=str(certificate.status),
        expires_on=certificate.expires_on, on_paper=False, token=certificate.token,
        product_name=_clip(facts.get("product_name"), 300), producer_name=_clip(facts.get("producer_name"), 300),
        group_name=group_name, province_name=now, province_then=then,
        authority_name=_clip(facts.get("decision_authority") or facts.get("authority_name"), 300),
        address=_clip(facts.get("producer_address"), 300))
    return _Certified(row, province.id if province is not None else product.producer.province_id,
                      ref.group_codes.get(fold(group_name), product.group_code))


def _paper_certificate(ref, paper, reissue):
    """The row of a paper certificate (re-issued here or not): its names as printed."""
    status, expires_on, token = _status_of_paper(paper, reissue)
    province = ref.provinces.get(paper.province_id)
    row = dict(
        number=paper.number, level=paper.level, year=paper.year, status=status, expires_on=expires_on,
        on_paper=True, token=token, product_name=paper.product_name, producer_name=paper.producer_name,
        group_name=ref.groups.get(paper.group_code, ""),
        province_name=province.name if province is not None else paper.province_name_then,
        province_then=paper.province_name_then, authority_name=_clip(paper.authority_name, 300), address="")
    return _Certified(row, paper.province_id, paper.group_code)


_NAMES = ("product_name", "producer_name", "province_name", "province_then", "group_name")


def _entry(ref, certified, *, current=(), product_id=None, imported_id=None, producer_id=None):
    """The registry row of ``certified`` certificates, named after their headline certificate: the
    values of its ``registry_entry`` insert, and those of its certificates' under ``"certificates"``.

    :param current: the product's and the producer's names now (a product on the platform).
    """
    top = headline(certified)
    names = SimpleNamespace(**{name: top.row[name] for name in _NAMES})
    province = ref.provinces.get(top.province_id)
    visible = [getattr(names, name) for name in _NAMES]
    certified_names = [c.row[name] for c in certified for name in _NAMES]
    searched = visible + certified_names + list(current) + (ref.former.get(top.province_id, []) if province else [])
    searched += [c.number for c in certified]
    current_name, current_producer_name = current if current else ("", "")
    name_folded = _clip(_fold(names.product_name), 300)
    return dict(
        product_id=product_id, imported_id=imported_id, producer_id=producer_id, name=names.product_name,
        name_folded=name_folded,
        holder_key=f"p{producer_id}" if producer_id is not None else f"n{names.province_name}|{names.producer_name}",
        product_key=f"p{product_id}" if product_id is not None else f"n{name_folded}",
        name_sort=sort_key(names.product_name),
        province_sort=sort_key(province_name_key(names.province_name)),
        producer_name=names.producer_name, current_name=current_name,
        current_producer_name=current_producer_name, province_id=top.province_id,
        region_id=province.region_id if province else None, province_name=names.province_name,
        province_name_folded=_clip(province_key(names.province_name), 100), province_then=names.province_then,
        group_code=top.group_code, group_name=names.group_name, year=max(c.year for c in certified),
        valid_until=max((c.row["expires_on"] or NO_EXPIRY for c in certified
                         if c.row["status"] == CertificateStatus.VALID), default=None),
        search_text=" ; ".join(dict.fromkeys(_fold(v) for v in dict.fromkeys(searched) if v)),
        exact_text=" ; ".join(dict.fromkeys(_lower(v) for v in dict.fromkeys(visible + certified_names + list(current))
                                            if v)),
        certificates=[c.row for c in certified])


def _reissues(paper_ids):
    found = {}
    for chunk in _chunks(paper_ids):
        for certificate in db.session.scalars(select(Certificate).where(
                Certificate.imported_certificate_id.in_(chunk), Certificate.status != CertificateStatus.SUPERSEDED)):
            found[certificate.imported_certificate_id] = certificate
    return found


def _insert(entries, key):
    """Insert these rows, then their certificates, through Core: three statements for them all (an
    executemany, the new ids by ``key``, an executemany), where ORM objects cost one or more per row.
    The ids are read back rather than returned: SQLite returns a many-row insert's ids in no promised
    order, and SQLAlchemy would then insert row by row to keep them in order."""
    if not entries:
        return 0
    certificates = {entry[key]: entry.pop("certificates") for entry in entries}
    db.session.execute(insert(RegistryEntry), entries)
    column = getattr(RegistryEntry, key)
    ids = db.session.execute(select(column, RegistryEntry.id).where(column.in_(list(certificates)))).all()
    rows = [{**row, "entry_id": entry_id} for value, entry_id in ids for row in certificates[value]]
    if rows:
        db.session.execute(insert(RegistryCertificate), rows)
    return len(entries)


def _build_products(ref, product_ids):
    """Rows of these products, built and inserted 500 at a time: the products with their producers
    (``selectinload``: one statement, not one lazy load per product), their certificates, their
    paper certificates and the re-issues of those, then :func:`_insert`'s three statements. Built under
    ``no_autoflush``: a lazy load would otherwise flush the session first."""
    count = 0
    for chunk in _chunks(product_ids):
        products = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(chunk))
                                                        .options(selectinload(Product.producer)))}
        here = defaultdict(list)
        for certificate, product_id in db.session.execute(
                select(Certificate, Application.product_id).join(Application, Application.id == Certificate.application_id)
                .where(Application.product_id.in_(chunk), Certificate.imported_certificate_id.is_(None))):
            here[product_id].append(certificate)
        papers = defaultdict(list)
        for paper in db.session.scalars(select(ImportedCertificate).where(ImportedCertificate.product_id.in_(chunk))):
            papers[paper.product_id].append(paper)
        reissues = _reissues([p.id for ps in papers.values() for p in ps])
        entries = []
        for product_id, product in products.items():
            if not here[product_id] and not papers[product_id]:
                continue
            certified = [_issued(ref, c, product) for c in here[product_id]]
            certified += [_paper_certificate(ref, p, reissues.get(p.id)) for p in papers[product_id]]
            producer = product.producer
            entries.append(_entry(ref, certified, current=(product.name, producer.name), product_id=product.id,
                                  producer_id=producer.id))
        count += _insert(entries, "product_id")
    return count


def _build_papers(ref, imported_ids):
    """Rows of paper certificates linked to no product, 500 at a time (as :func:`_build_products`)."""
    count = 0
    for chunk in _chunks(imported_ids):
        papers = db.session.scalars(select(ImportedCertificate).where(
            ImportedCertificate.id.in_(chunk), ImportedCertificate.product_id.is_(None))).all()
        reissues = _reissues([p.id for p in papers])
        count += _insert([_entry(ref, [_paper_certificate(ref, paper, reissues.get(paper.id))], imported_id=paper.id)
                          for paper in papers], "imported_id")
    return count


def _build(product_ids, imported_ids):
    with db.session.no_autoflush:
        ref = _Reference()
        return _build_products(ref, product_ids) + _build_papers(ref, imported_ids)


def _delete_entries(condition):
    entry_ids = select(RegistryEntry.id).where(condition).scalar_subquery()
    db.session.execute(delete(RegistryCertificate).where(RegistryCertificate.entry_id.in_(entry_ids)))
    db.session.execute(delete(RegistryEntry).where(condition))


def refresh(product_ids=(), imported_ids=()):
    """Rebuild the registry rows of these products and paper certificates (in the current
    transaction; the caller commits). A paper certificate linked to a product refreshes that
    product's row instead of its own."""
    product_ids, imported_ids = set(product_ids), set(imported_ids)
    for chunk in _chunks(imported_ids):
        product_ids |= set(db.session.scalars(select(ImportedCertificate.product_id).where(
            ImportedCertificate.id.in_(chunk), ImportedCertificate.product_id.is_not(None))))
    if not product_ids and not imported_ids:
        return
    hold_counts_lock()  # before the rows are read: another refresh's counts are then committed and seen
    provinces, holders = touched(product_ids, imported_ids)  # where the rows were, and below where they are now
    for chunk in _chunks(product_ids):
        _delete_entries(RegistryEntry.product_id.in_(chunk))
    for chunk in _chunks(imported_ids):
        _delete_entries(RegistryEntry.imported_id.in_(chunk))
    _build(product_ids, imported_ids)
    provinces_now, holders_now = touched(product_ids, imported_ids)
    recount(provinces | provinces_now)
    recount_holders(holders | holders_now)
    db.session.info[_CHANGED] = True  # cached registry results are stale once this commits


def reindex():
    """Rebuild every row; returns the number of rows. About a dozen statements per 1,000 rows
    (tests/certificates/test_registry_reindex_bulk.py counts them)."""
    hold_counts_lock()
    _delete_entries(RegistryEntry.id.is_not(None))
    product_ids = set(db.session.scalars(select(Application.product_id).join(
        Certificate, Certificate.application_id == Application.id)))
    product_ids |= set(db.session.scalars(select(ImportedCertificate.product_id).where(
        ImportedCertificate.product_id.is_not(None))))
    imported_ids = set(db.session.scalars(select(ImportedCertificate.id).where(
        ImportedCertificate.product_id.is_(None))))
    count = _build(product_ids, imported_ids)
    recount()
    recount_holders()
    db.session.info[_CHANGED] = True  # cached registry results are stale once this commits
    return count


# Keeping current by itself -----------------------------------------------------------------------

def _note(session, obj, deleted):
    pending = session.info.setdefault(_PENDING, {"products": set(), "producers": set(), "certificates": set(),
                                                 "applications": set(), "imported": set()})
    if isinstance(obj, Product):
        pending["products"].add(obj.id)
    elif isinstance(obj, Producer):
        pending["producers"].add(obj.id)
    elif isinstance(obj, Certificate):
        if deleted:  # the row is gone: resolve through what it pointed at
            pending["applications"].add(obj.application_id)
            pending["imported"].add(obj.imported_certificate_id)
        else:
            pending["certificates"].add(obj.id)
    elif isinstance(obj, ImportedCertificate):
        pending["imported"].add(obj.id)
        for old in inspect(obj).attrs.product_id.history.deleted or ():
            pending["products"].add(old)


def _after_flush(session, _context):
    for obj in session.new | session.dirty:
        _note(session, obj, deleted=False)
    for obj in session.deleted:
        _note(session, obj, deleted=True)


def _before_commit(session):
    for _ in range(5):  # refreshing flushes only registry rows, which note nothing
        session.flush()
        pending = session.info.pop(_PENDING, None)
        if not pending or not any(pending.values()):
            return
        _refresh_pending(session, pending)


def _after_rollback(session):
    session.info.pop(_PENDING, None)
    session.info.pop(_CHANGED, None)


def _after_commit(session):
    if session.info.pop(_CHANGED, False) and has_app_context():
        from voting.core.cache import new_registry_generation

        new_registry_generation()


#: Session event -> listener: what keeps the search table current as products, producers and certificates change.
_LISTENERS = {"after_flush": _after_flush, "before_commit": _before_commit, "after_rollback": _after_rollback,
              "after_commit": _after_commit}


def keep_current():
    """Attach the listeners to every session (once per process; called by :func:`certificates.init_app`).

    They listen on SQLAlchemy's ``Session`` class, not on one app's session: a listener added twice
    would refresh twice, so a second app in the same process (the tests) finds them attached already.
    """
    for name, listener in _LISTENERS.items():
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _refresh_pending(session, pending):
    products, imported = set(pending["products"]), set(pending["imported"])
    for chunk in _chunks(pending["producers"]):
        products |= set(session.scalars(select(Product.id).where(Product.producer_id.in_(chunk))))
    applications = set(pending["applications"])
    for chunk in _chunks(pending["certificates"]):
        for application_id, imported_id in session.execute(select(
                Certificate.application_id, Certificate.imported_certificate_id).where(Certificate.id.in_(chunk))):
            applications.add(application_id)
            imported.add(imported_id)
    for chunk in _chunks(applications):
        products |= set(session.scalars(select(Application.product_id).where(Application.id.in_(chunk))))
    try:
        ours = session is db.session()
    except RuntimeError:  # no application context: not a session of this app
        ours = False
    if ours:
        refresh(products - {None}, imported - {None})

