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
counts as valid. Unknown values are errors (:class:`BadParameters`), never an empty guess.
"""
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, or_, select, union

from voting.core import cache
from voting.extensions import db
from certificates.models import PublicStatus, RegistryCertificate, RegistryEntry
from certificates.registry import fulltext
from certificates.registry.named import PROVINCE_PREFIXES, group_named, province_for, region_named
from certificates.registry.results import COUNT_CAP, Results
from certificates.models.imported import FIRST_YEAR, IMPORTED_LEVELS
from voting.core.text import fold, nfc

MAX_QUERY = 200
#: The longest province, region or group value (code or name) read.
MAX_NAME = 100
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
MAX_PAGE = 10**6
#: Filters whose value must name something that exists; one naming nothing is "unknown", not malformed.
NAMED_FILTERS = ("province", "region", "group")
STATUSES = ("valid", "expired", "suspended", "revoked", "superseded", "all")
SORTS = ("relevance", "name", "year", "province")
LEVELS = IMPORTED_LEVELS
_MESSAGES = {
    "level": _l("Cấp không hợp lệ: dùng một trong %(codes)s.", codes=", ".join(LEVELS)),
    "year": _l("Năm phải là một số từ %(first)s đến 2100.", first=FIRST_YEAR),
    "status": _l("Trạng thái không hợp lệ: dùng một trong %(codes)s.", codes=", ".join(STATUSES)),
    "sort": _l("Cách sắp xếp không hợp lệ: dùng một trong %(codes)s.", codes=", ".join(SORTS)),
    "page": _l("Số trang phải là một số nguyên từ 1 đến %(max)s.", max=MAX_PAGE),
    "per_page": _l("Số dòng mỗi trang phải từ 1 đến %(max)s.", max=MAX_PER_PAGE),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadParameters(ValueError):
    """Parameters that name nothing known; ``errors`` maps each parameter to its message."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class Params:
    q: str = ""
    province: str = ""
    region: str = ""
    group: str = ""
    level: str = ""
    year: str = ""
    status: str = "valid"
    sort: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # Resolved filter values.
    province_id: int | None = None
    region_id: int | None = None
    group_code: str | None = None
    year_value: int | None = None
    errors: dict = field(default_factory=dict)
    #: The parameters in ``errors`` that are well-formed but name nothing known (the API answers 404).
    unknown: set = field(default_factory=set)

    def query_args(self, **changes):
        """The parameters as given (for links: pagination, CSV, API), with ``changes``."""
        args = {k: getattr(self, k) for k in ("q", "province", "region", "group", "level", "year", "sort")}
        args["status"] = self.status if self.status != PublicStatus.VALID else ""
        if self.per_page != DEFAULT_PER_PAGE:
            args["per_page"] = self.per_page
        args.update(changes)
        return {k: v for k, v in args.items() if v not in ("", None)}

    @property
    def filter_count(self):
        """How many filters narrow the search beyond the query (a status other than valid is one)."""
        return sum(map(bool, (self.province, self.region, self.group, self.level, self.year,
                              self.status != PublicStatus.VALID)))

    @property
    def filtered(self):
        return self.filter_count > 0


def clean_text(value, limit=MAX_QUERY):
    return " ".join(_CONTROL.sub(" ", nfc(value) or "").split())[:limit]


def _int(value, name, errors, low, high, message):
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = message
        return None
    if not low <= number <= high:
        errors[name] = message
        return None
    return number


def parse(args, *, default_per_page=DEFAULT_PER_PAGE, strict=False):
    """Read and check the parameters of a registry request (``request.args``).

    :param strict: values exactly as the OpenAPI document says (the API and the CSV), see
        :func:`_refuse_loose_values`.
    """
    p = Params(per_page=default_per_page)
    errors = p.errors
    p.q = clean_text(args.get("q", ""))
    if len(args.get("q", "")) > MAX_QUERY:  # as sent: never searched for something else than asked
        errors["q"] = _l("Nội dung tìm kiếm dài quá %(max)s ký tự.", max=MAX_QUERY)
    for name in ("province", "region", "group", "level", "year", "sort"):
        setattr(p, name, clean_text(args.get(name, ""), MAX_NAME))
    p.status = clean_text(args.get("status", ""), 20).lower() or "valid"
    for name in NAMED_FILTERS:
        if len(args.get(name, "")) > MAX_NAME:
            errors[name] = _l("Dài quá %(max)s ký tự.", max=MAX_NAME)
            setattr(p, name, "")
    named = {  # filter -> (what it names, else None; the message; the attribute it sets; the value)
        "province": (province_for, _l("Không có tỉnh, thành phố nào mang mã hoặc tên này."),
                     "province_id", lambda row: row.id),
        "region": (region_named, _l("Không có khu vực nào mang mã hoặc tên này."), "region_id", lambda row: row.id),
        "group": (group_named, _l("Không có nhóm sản phẩm nào mang mã hoặc tên này."), "group_code",
                  lambda row: row.code),
    }
    for name, (find, message, attribute, value) in named.items():
        if not getattr(p, name):
            continue
        found = find(getattr(p, name))
        if found is None:
            errors[name] = message
            p.unknown.add(name)
        else:
            setattr(p, attribute, value(found))
    if p.level and p.level not in LEVELS:
        errors["level"] = _MESSAGES["level"]
    if p.year:
        p.year_value = _int(p.year, "year", errors, FIRST_YEAR, 2100, _MESSAGES["year"])
    if p.status not in STATUSES:
        errors["status"] = _MESSAGES["status"]
        p.status = "valid"
    if p.sort and p.sort not in SORTS:
        errors["sort"] = _MESSAGES["sort"]
        p.sort = ""
    if args.get("page") not in (None, ""):
        p.page = _int(args.get("page"), "page", errors, 1, MAX_PAGE, _MESSAGES["page"]) or 1
    if args.get("per_page") not in (None, ""):
        p.per_page = _int(args.get("per_page"), "per_page", errors, 1, MAX_PER_PAGE,
                          _MESSAGES["per_page"]) or default_per_page
    if strict:
        _refuse_loose_values(args, errors)
    return p


_CANONICAL_INT = re.compile(r"0|-?[1-9][0-9]*")


def _refuse_loose_values(args, errors):
    """The API's and the CSV's values exactly as the OpenAPI document writes them.

    The page forgives what a form or a typed URL sends (an empty field, " tinh", "VALID", "+2"); an
    API client gets the 400 any other value outside the document's enum or integer gets, so that
    the document and the answers agree (tests/certificates/test_api_schema.py).
    """
    for name, allowed in (("level", LEVELS), ("status", STATUSES), ("sort", SORTS)):
        if name in args and name not in errors and args[name] not in allowed:
            errors[name] = _MESSAGES[name]
    for name in ("year", "page", "per_page"):
        if name in args and name not in errors and not _CANONICAL_INT.fullmatch(args[name]):
            errors[name] = _MESSAGES[name]


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


def _filtered(query, p, today):
    """``query`` narrowed by the filters. Valid today, the default, is a comparison on the row
    (``valid_until``); other statuses, or one with a level or a year, look at the certificates."""
    if p.province_id is not None:
        query = query.where(RegistryEntry.province_id == p.province_id)
    if p.region_id is not None:
        query = query.where(RegistryEntry.region_id == p.region_id)
    if p.group_code is not None:
        query = query.where(RegistryEntry.group_code == p.group_code)
    if p.status == "valid" and not p.level and p.year_value is None:
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
    return {e.id: e for e in db.session.scalars(select(RegistryEntry).where(RegistryEntry.id.in_(ids)))} if ids else {}


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
        ranked_from = _ranked_by_ids if db.engine.dialect.name == "postgresql" else _ranked_by_subquery
        ids, total = ranked_from(p, today, folded, terms, offset)
        if total:
            return ids, total
    query = entries_query(p, today)
    total = db.session.scalar(select(func.count()).select_from(
        query.with_only_columns(RegistryEntry.id).order_by(None).limit(COUNT_CAP + 1).subquery()))
    if offset >= COUNT_CAP:
        return [], total
    return _ids(query.with_only_columns(RegistryEntry.id).limit(p.per_page).offset(offset)), total


def _newest(p, today, terms):
    """The ids of the rows holding every word, newest first, up to COUNT_CAP + 1: the count, and the
    candidates unless there are more."""
    return _filtered(fulltext.matching_ids(terms), p, today).limit(COUNT_CAP + 1)


def _beyond_cap(p, today, terms, offset):
    """``(depth, named)``: with more than COUNT_CAP matches, the candidates are the newest ``depth`` (
    :data:`_RANKED`, more for a page deep down) and ``named``, the newest :data:`_RANKED` product-name matches."""
    named = _filtered(fulltext.matching_ids(terms, name_only=True), p, today).limit(_RANKED)
    return max(_RANKED, offset + p.per_page), named


def _ranked(p, folded, offset, candidates):
    """The page's ids among ``candidates`` (a select of ``RegistryEntry.id``) ranked by relevance."""
    return _ids(candidates.order_by(*_relevance(p, folded)).limit(p.per_page).offset(offset))


def _ranked_by_subquery(p, today, folded, terms, offset):
    """:func:`_page_ids` on SQLite, the candidates as subqueries: FTS5 answers again faster than 1,001 ids
    go out and back."""
    newest = _newest(p, today, terms)
    total = db.session.scalar(select(func.count()).select_from(newest.subquery()))
    candidates = newest.subquery()
    if total > COUNT_CAP:
        depth, named = _beyond_cap(p, today, terms, offset)
        deepest, named = newest.limit(depth).subquery(), named.subquery()
        candidates = union(select(deepest.c.id), select(named.c.id)).subquery()
    if not total:
        return [], 0
    # Joined, not "IN (...) OR IN (...)": PostgreSQL would read the whole table for that.
    return _ranked(p, folded, offset, select(RegistryEntry.id).join(candidates, candidates.c.id == RegistryEntry.id)), total


def _ranked_by_ids(p, today, folded, terms, offset):
    """:func:`_page_ids` on PostgreSQL: the newest matches' ids, read once, are the count and the candidates.
    Its GIN index reads each row it finds: read again for the page, it cost twice the count (50,000 rows: the
    page's statement 24 -> 8 ms)."""
    newest = _ids(_newest(p, today, terms))
    candidates = newest
    if len(newest) > COUNT_CAP:
        depth, named = _beyond_cap(p, today, terms, offset)
        candidates = list(dict.fromkeys(newest[:depth] + _ids(named)))
    if not candidates:
        return [], 0
    return _ranked(p, folded, offset, select(RegistryEntry.id).where(RegistryEntry.id.in_(candidates))), len(newest)


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
