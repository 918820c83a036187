"""Searching the public registry: parameters, filters, ranking and pages.

Shared by the registry page (``/registry/``), the open-data API (``/api/v1/products``) and the
CSV export (``/registry.csv``), so that the same parameters find the same products.

**Search.** The query is folded like the index (:mod:`certificates.registry.index`) and cut
into words; every word must begin a word of the row's folded text ("mien dong", "Miến dong" and
"mi do" find "Miến dong"; "hoà" and "hòa" are the same), answered by the word-prefix index of
:mod:`certificates.registry.fulltext`, short words (one or two letters) too. When no row holds
the words as prefixes, the substring fallback there finds them inside words ("han tuy" finds
"Shan tuyết"), and on PostgreSQL near misses.

**Count.** Matches are counted up to :data:`COUNT_CAP` (1,000); beyond, the page says "more than
1,000" (``Results.capped``; the API's total is then 1,000) and pages only that far: a reader narrows the
query long before.

**Ranking** (``sort=relevance``, the default with a query): rows holding the query exactly as
typed (NFC, case ignored: same accents and tone-mark placement) first, then rows whose product
name holds the folded query, then rows holding it as one phrase anywhere (the words in a row may
be apart), then the newest certificate year, then the name. The keys are computed for the page's
candidates only (:func:`_page_ids`): every match when 1,000 or fewer do, else the newest 300
matches and the newest 300 product-name matches.

**Filters.** ``province``: a current unit's code, or a current or former province's name in
any spelling ("tỉnh"/"thành phố" may be written); ``region``: a region's code or name;
``group``: a group's code or name; ``level``; ``year``; ``status`` (``valid`` by default,
``expired``, ``suspended``, ``revoked``, ``superseded``, ``all``). Level, year and status are
met when one certificate of the row meets them all. A paper certificate that states no expiry
counts as valid. Unknown values are errors (:class:`certificates.registry.params.BadParameters`), never an
empty guess.
"""
from sqlalchemy import and_, case, exists, func, or_, select, union
from sqlalchemy.orm import joinedload

from certificates.models import PublicStatus, RegistryCertificate, RegistryEntry
from certificates.registry import fulltext
from certificates.registry.named import PROVINCE_PREFIXES, province_for
# The parameters' names and limits are the search's, for its callers (the page, the API and its document).
from certificates.registry.params import (  # noqa: F401
    DEFAULT_PER_PAGE, LEVELS, MAX_NAME, MAX_PAGE, MAX_PER_PAGE, MAX_QUERY, SORTS, STATUSES, Params, parse,
)
from certificates.registry.results import COUNT_CAP, Results
from voting.core import cache
from voting.core.text import fold
from voting.extensions import db

# Query -------------------------------------------------------------------------------------------

def _status_condition(status, today):
    c = RegistryCertificate
    if status == "valid":
        return and_(c.status == PublicStatus.VALID, or_(c.expires_on.is_(None), c.expires_on >= today))
    if status == "expired":
        return and_(c.status == PublicStatus.VALID, c.expires_on < today)
    return c.status == status


def certificate_conditions(p, today):
    """Conditions on ``RegistryCertificate`` from level, year and status (CSV rows use them too)."""
    conditions = []
    if p.level:
        conditions.append(RegistryCertificate.level == p.level)
    if p.year_value is not None:
        conditions.append(RegistryCertificate.year == p.year_value)
    if p.status != "all":
        conditions.append(_status_condition(p.status, today))
    return conditions


def _folded_query(p):
    folded = fold(p.q)
    for prefix in PROVINCE_PREFIXES:  # "tỉnh Quảng Nam": the word "tỉnh" is in no name
        if folded.startswith(prefix) and province_for(folded.removeprefix(prefix)) is not None:
            folded = folded.removeprefix(prefix)
    return folded


def _valid_on(p, today):
    """``today`` when the filters are the default "valid" alone (a comparison on the row), else None."""
    return today if p.status == "valid" and not p.level and p.year_value is None else None


def _filtered(query, p, today):
    """``query`` narrowed by the filters. Valid today, the default, is a comparison on the row
    (``valid_until``); other statuses, or one with a level or a year, look at the certificates."""
    if p.province_id is not None:
        query = query.where(RegistryEntry.province_id == p.province_id)
    if p.region_id is not None:
        query = query.where(RegistryEntry.region_id == p.region_id)
    if p.group_code is not None:
        query = query.where(RegistryEntry.group_code == p.group_code)
    if _valid_on(p, today) is not None:
        return query.where(RegistryEntry.valid_until >= today)
    conditions = certificate_conditions(p, today)
    if conditions:
        query = query.where(exists().where(RegistryCertificate.entry_id == RegistryEntry.id, *conditions))
    return query


def _relevance(p, folded):
    """The ranking keys: the query as typed (exact accents) first, then product-name matches, then the
    query as one phrase, then the newest certificate year, then the name."""
    exact = case((_holds(RegistryEntry.exact_text, p.q.lower()), 0), else_=1)
    in_name = case((_holds(RegistryEntry.name_folded, folded), 0), else_=1)
    as_phrase = case((_holds(RegistryEntry.search_text, folded), 0), else_=1)
    return (exact, in_name, as_phrase, RegistryEntry.year.desc(), *_BY_NAME)


def _holds(column, value):
    # Both sides are lower case already: instr()/strpos() compare bytes, several times faster than LIKE.
    position = func.instr(column, value) if db.engine.dialect.name == "sqlite" else func.strpos(column, value)
    return position > 0


#: With more than COUNT_CAP matches: how many of the newest, and of the newest product-name ones, are ranked.
_RANKED = 300
# Vietnamese alphabetical order (ICU's sort keys, compared byte by byte), then the row for a stable page.
_BY_NAME = (RegistryEntry.name_sort, RegistryEntry.id)


def entries_query(p, today):
    """The select of matching ``RegistryEntry`` rows, ordered as asked (not yet paginated): every
    match, for the CSV (whose own limit applies). :func:`search` pages without reading every match."""
    folded = _folded_query(p)
    query = _filtered(select(RegistryEntry), p, today)
    if folded:
        terms = fulltext.words(folded)
        found = _filtered(select(RegistryEntry.id), p, today).where(fulltext.word_condition(terms)).limit(1)
        if terms and db.session.scalar(found) is not None:
            query = query.where(fulltext.word_condition(terms))
        else:
            query = query.where(*fulltext.substring_conditions(folded.split()))
    return query.order_by(*_order(p, folded))


def _order(p, folded):
    sort = p.sort or ("relevance" if folded else "year")
    if sort == "relevance" and folded:
        return _relevance(p, folded)
    if sort == "name":
        return _BY_NAME
    if sort == "province":
        return (RegistryEntry.province_sort, *_BY_NAME)
    return (RegistryEntry.year.desc(), *_BY_NAME)


def _ids(query):
    return list(db.session.scalars(query))


def _rows(ids):
    """The page's entries by id, with their certificates joined in the same statement: the relationship's own
    ``selectin`` was a second statement (products API in-process on 100,000 rows, PostgreSQL: 7.1 -> 6.5 ms of
    CPU a request, three runs each way)."""
    if not ids:
        return {}
    query = select(RegistryEntry).where(RegistryEntry.id.in_(ids)).options(joinedload(RegistryEntry.certificates))
    return {e.id: e for e in db.session.scalars(query).unique()}


def _page_ids(p, today):
    """``(ids of the page, total counted up to COUNT_CAP + 1)``.

    With a query, ranked by relevance: the index gives the rows holding every word as a word prefix
    newest first (highest id) and stops after :data:`COUNT_CAP` + 1: that is the count. Up to 1,000
    matches, all are ranked (:func:`_relevance`), the exact ranking; beyond, the newest :data:`_RANKED`
    matches (more for a deeper page) and the newest :data:`_RANKED` product-name matches, and the page
    says "more than 1,000": the keys are never computed for every match (72,687 rows of 100,000 hold
    a word beginning "che"). The substring fallback and the other orders read every match (rare).
    """
    folded = _folded_query(p)
    terms = fulltext.words(folded) if folded else []
    offset = (p.page - 1) * p.per_page
    if terms and (p.sort or "relevance") == "relevance":
        ids, total = _ranked(p, today, folded, terms, offset)
        if total:
            return ids, total
    query = entries_query(p, today)
    total = db.session.scalar(select(func.count()).select_from(
        query.with_only_columns(RegistryEntry.id).order_by(None).limit(COUNT_CAP + 1).subquery()))
    if offset >= COUNT_CAP:
        return [], total
    return _ids(query.with_only_columns(RegistryEntry.id).limit(p.per_page).offset(offset)), total


def _newest_and_named(p, today, terms):
    """``(newest, named)``: selects of the ids of the newest matches (up to COUNT_CAP + 1) and of the newest
    :data:`_RANKED` product-name matches.

    On PostgreSQL, for several words, both from the matches read once, each marked when its product's name holds
    the words: the GIN index reads each row it finds (12,521 matches of "mat ong hoa" in 100,000 rows: 38 ms), the
    planner takes words for independent and expects few matches (577), and would read them through the index again
    for the name matches. One word's estimate is close, so each is planned apart: many matches ("chè": 72,687) are
    then found by reading the newest rows until there are enough, 1,001 and 300 rows, not 72,687.
    """
    valid_on = _valid_on(p, today)
    years = fulltext.validity_years(valid_on) if valid_on is not None else None  # one statement for both selects
    if db.engine.dialect.name == "postgresql" and len(terms) > 1:
        matches = _filtered(select(RegistryEntry.id, fulltext.word_condition(terms, name_only=True).label("named"))
                            .where(fulltext.word_condition(terms, years=years)), p, today
                            ).cte("matches").prefix_with("MATERIALIZED")
        return (select(matches.c.id).order_by(matches.c.id.desc()).limit(COUNT_CAP + 1),
                select(matches.c.id).where(matches.c.named).order_by(matches.c.id.desc()).limit(_RANKED))
    return (_filtered(fulltext.matching_ids(terms, years=years), p, today).limit(COUNT_CAP + 1),
            _filtered(fulltext.matching_ids(terms, name_only=True, years=years), p, today).limit(_RANKED))


def _ranked(p, today, folded, terms, offset):
    """:func:`_page_ids` with a query, in one statement: the newest matches, kept once in a materialised CTE, give
    the count and the candidates; beyond :data:`COUNT_CAP` matches the candidates are the newest ``depth``
    (:data:`_RANKED`, more for a page further down) and the newest product-name matches, which are looked for only
    then.

    One statement where there were two: SQLite's word index found the matches twice (the count, then the
    candidates), and PostgreSQL sent the candidates' ids out and back (1,001 of them for most queries).
    """
    newest, named = _newest_and_named(p, today, terms)
    if offset >= COUNT_CAP:  # pages stop at the cap, as for every other order
        return [], db.session.scalar(select(func.count()).select_from(newest.subquery()))
    newest = newest.cte("newest").prefix_with("MATERIALIZED")
    total = select(func.count()).select_from(newest).scalar_subquery()
    # Under the cap, the two parts meant for more matches (the newest ``depth`` and the name matches) take no rows:
    # a LIMIT of 0, since SQLite reads a subquery up to its LIMIT whatever the WHERE around it says (probed: name
    # matches of "c" added 35 ms to "miến dong", whose 833 matches need none of them).
    beyond = total > COUNT_CAP
    deepest = (select(newest.c.id).order_by(newest.c.id.desc())
               .limit(case((beyond, max(_RANKED, offset + p.per_page)), else_=0)).subquery())
    named = named.limit(case((beyond, _RANKED), else_=0)).subquery()
    candidates = union(select(newest.c.id).where(total <= COUNT_CAP), select(deepest.c.id),
                       select(named.c.id)).subquery()
    # Joined, not "IN (...) OR IN (...)": PostgreSQL would read the whole table for that.
    page = (select(RegistryEntry.id, total).join(candidates, candidates.c.id == RegistryEntry.id)
            .order_by(*_relevance(p, folded)).limit(p.per_page).offset(offset))
    rows = db.session.execute(page).all()
    if rows:
        return [id_ for id_, _total in rows], rows[0][1]
    return [], db.session.scalar(select(total))  # none found, or a page past the candidates: the count alone


def search(p, today):
    """One page of entries; a page past the last is empty (the total says how many match, up to :data:`COUNT_CAP`).

    With Redis, the page's ids and the total are cached (:mod:`voting.core.cache`).
    """
    key = None
    if cache.enabled():
        key = cache.registry_key("search", p.q, p.province_id, p.region_id, p.group_code, p.level, p.year_value,
                                 p.status, p.sort, p.page, p.per_page, today.isoformat())
    hit = cache.get(key) if key is not None else None
    ids, total = hit if hit is not None else _page_ids(p, today)
    rows = _rows(ids)
    if len(rows) != len(ids):  # a cached row went between the generation's read and its change
        ids, total = _page_ids(p, today)
        rows = _rows(ids)
    if key is not None and hit is None:
        cache.put(key, (ids, total))
    return Results([rows[i] for i in ids], p.page, min(total, COUNT_CAP), p.per_page, capped=total > COUNT_CAP)
