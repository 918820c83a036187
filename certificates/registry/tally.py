"""Keeping the summary reports' tally (:class:`certificates.models.RegistryTally`) in step with the registry.

The reports count certificates per year, level, province, group and standing; reading every certificate of
twenty years for that cost a hundred times a plain count of the table (issue 21, ``make bench``). The tally
holds those counts, a row per combination, and the reports add the rows up.

It is recounted, not adjusted: whenever :mod:`certificates.registry.index` rebuilds some entries, the tally
rows of the provinces those entries were and are in are deleted and counted again from the registry's rows,
in the same transaction (a province is a few thousand certificates at most, read through the entries'
province index). A count that is only ever recomputed from its source cannot drift from it. The producers holding certified
products (:class:`certificates.models.RegistryHolder`: how many products each, its type and commune kind) are
recounted the same way, for the producers whose entries were rebuilt (editing a producer rebuilds its entries).
"""
from sqlalchemy import delete, distinct, func, insert, literal, or_, select, text

from certificates.models import CertificateStatus, RegistryCertificate, RegistryEntry, RegistryHolder, RegistryTally
from certificates.models.registry import WHOLE_COUNTRY
from voting.extensions import db
from voting.models import Commune, Producer

_KEYS = ("year", "level", "province_id", "group_code", "province_then", "status", "expires_on")
# Any constant works; it only has to be the same for every writer (and differ from the audit chain's).
_COUNTS_LOCK_KEY = 0x434E5443  # "CNTC"


def hold_counts_lock():
    """Serialise the recounts until the transaction ends. Two transactions recounting one province at once on
    PostgreSQL would each delete the rows it saw and insert its count: the second cannot see the first's new
    rows until that commits, and the province would be counted twice. PostgreSQL: a transaction-scoped
    advisory lock. SQLite: the refresh runs after the transaction's writes, which hold its one write lock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _COUNTS_LOCK_KEY})


def _counted(condition=None):
    """The tally's rows of the registry's certificates whose entry meets ``condition`` (None: all of them)."""
    c, e = RegistryCertificate, RegistryEntry
    keys = (c.year, c.level, e.province_id, e.group_code, c.province_then, c.status, c.expires_on)
    query = (select(*keys, func.count()).select_from(c).join(e, e.id == c.entry_id)
             .where(c.status != CertificateStatus.SUPERSEDED))
    if condition is not None:
        query = query.where(condition)
    return query.group_by(*keys)


def _in_provinces(column, province_ids):
    known = sorted(i for i in province_ids if i is not None)
    condition = column.in_(known)
    return or_(condition, column.is_(None)) if None in province_ids else condition


def recount(province_ids=None):
    """Count the tally again for the entries in these provinces (ids; ``None`` among them: the entries of no
    known province), or for every entry when ``province_ids`` is None. Two statements."""
    if province_ids is not None and not province_ids:
        return
    removed = delete(RegistryTally)
    counted = _counted()
    if province_ids is not None:
        province_ids = set(province_ids)
        removed = removed.where(_in_provinces(RegistryTally.province_id, province_ids))
        counted = _counted(_in_provinces(RegistryEntry.province_id, province_ids))
    db.session.execute(removed)
    db.session.execute(insert(RegistryTally).from_select([*_KEYS, "certificates"], counted))


def holder_products():
    """How many distinct products a holder (``RegistryEntry.holder_key``) has with a certificate that counts."""
    return func.count(distinct(RegistryEntry.product_key))


def holder_name():
    """The holder's name: the producer's name now where the platform knows it, else as certified."""
    e = RegistryEntry
    return func.max(func.coalesce(func.nullif(e.current_producer_name, ""), e.producer_name))


def recount_holders(keys=None):
    """Count again the products of these holders (``RegistryEntry.holder_key`` values; None: every holder), and
    take their producer's type and commune kind as they are now: a :class:`RegistryHolder` row each for the
    whole country and one for each province of their entries."""
    c, e = RegistryCertificate, RegistryEntry
    columns = ["holder_key", "province_id", "name", "province_name", "products", "type_code", "commune_kind"]
    WHOLE = literal(WHOLE_COUNTRY)  # noqa: N806 (one object, told apart by identity below)

    def counted(place, condition):
        rows = (select(e.holder_key, place.label("province_id"), holder_name().label("name"),
                       func.max(e.province_name).label("province_name"), holder_products().label("products"),
                       func.max(e.producer_id).label("producer_id"))
                .select_from(c).join(e, e.id == c.entry_id)
                .where(c.status != CertificateStatus.SUPERSEDED, *condition)
                .group_by(e.holder_key, *([] if place is WHOLE else [place])).subquery())
        return (select(rows.c.holder_key, rows.c.province_id, rows.c.name, rows.c.province_name, rows.c.products,
                       func.coalesce(Producer.type_code, ""), func.coalesce(Commune.division_type, ""))
                .select_from(rows).outerjoin(Producer, Producer.id == rows.c.producer_id)
                .outerjoin(Commune, Commune.id == Producer.commune_id))

    def insert_counts(condition=()):
        # An entry of no known province counts for the whole country only.
        for place, where in ((WHOLE, ()), (e.province_id, (e.province_id.is_not(None),))):
            db.session.execute(insert(RegistryHolder).from_select(columns, counted(place, (*condition, *where))))

    if keys is None:
        db.session.execute(delete(RegistryHolder))
        insert_counts()
        return
    keys = sorted(keys)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        db.session.execute(delete(RegistryHolder).where(RegistryHolder.holder_key.in_(chunk)))
        insert_counts((e.holder_key.in_(chunk),))


def touched(product_ids, imported_ids):
    """``(provinces, holders)`` of the registry entries of these products and paper certificates: their
    provinces' ids (None for none known) and their holders' keys."""
    provinces, holders = set(), set()
    for column, ids in ((RegistryEntry.product_id, product_ids), (RegistryEntry.imported_id, imported_ids)):
        ids = sorted(i for i in ids if i is not None)
        for start in range(0, len(ids), 500):
            for province_id, holder_key in db.session.execute(
                    select(RegistryEntry.province_id, RegistryEntry.holder_key).distinct()
                    .where(column.in_(ids[start:start + 500]))):
                provinces.add(province_id)
                holders.add(holder_key)
    return provinces, holders
