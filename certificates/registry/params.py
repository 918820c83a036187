"""The registry's parameters (page, API and CSV alike): read, checked and resolved to the filters'
values (:class:`Params`), every problem named in Vietnamese (:class:`BadParameters` for the API).
:mod:`certificates.registry.search` explains what each one means."""
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from certificates.models import PublicStatus
from certificates.models.imported import FIRST_YEAR, IMPORTED_LEVELS
from certificates.registry.named import group_named, province_for, region_named
from voting.core.text import nfc

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
