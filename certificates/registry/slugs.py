"""URL slugs of the public registry's products and producers: ``mien-dong-na-ri-12``.

The slug is the folded name (no diacritics, "đ" as "d", lower case) with every run of
non-alphanumerics as one hyphen, then the record's id; the id alone identifies the record,
so a renamed product keeps working under its old slug (pages redirect to the current one).
"""
import re
from functools import lru_cache

from voting.core.text import fold

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: Long names are cut so that a URL stays readable; the id keeps the slug unique.
MAX_WORDS_LENGTH = 80


@lru_cache(maxsize=4096)
def slugify(name, record_id):
    """``<folded name with hyphens>-<id>``; just the id when the name has no letters or digits.

    Kept per process (a pure function of its arguments): the registry's pages and API slug every product they
    list, 25 a page, and folding a name costs about 20 us."""
    words = _NON_ALNUM.sub("-", fold(name or "")).strip("-")
    words = words[:MAX_WORDS_LENGTH].rstrip("-")
    return f"{words}-{record_id}" if words else str(record_id)


def product_slug(product):
    """The slug of a :class:`~voting.models.Product`, e.g. ``mien-dong-na-ri-12``."""
    return slugify(product.name, product.id)


def producer_slug(producer):
    """The slug of a :class:`~voting.models.Producer`, e.g. ``htx-mien-dong-na-ri-3``."""
    return slugify(producer.name, producer.id)


def id_from_slug(ref):
    """The id at the end of a slug (or a bare id), or None when ``ref`` ends with no digits."""
    match = re.search(r"(?:^|-)(\d{1,18})$", ref or "")
    return int(match.group(1)) if match else None
