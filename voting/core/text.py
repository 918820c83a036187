"""Vietnamese text: storage normal form, search folding and alphabetical order."""
import re
import threading
import unicodedata

import icu

_SPACES = re.compile(r"\s+")


def nfc(value):
    """Return ``value`` in NFC with surrounding white space removed (None stays None).

    Phones and some keyboards send decomposed (NFD) Vietnamese; storing NFC
    everywhere keeps equality, uniqueness and sorting honest.
    """
    if value is None:
        return None
    return unicodedata.normalize("NFC", str(value)).strip()


def fold(value):
    """Return the search key of ``value``: lower case, no diacritics, single spaces.

    Tone marks are removed after decomposition, so the old and new placements
    ("hoà" and "hòa") fold to the same key; "đ" has no decomposition and is
    mapped to "d" explicitly.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.casefold()).strip()


#: Words a province's name may be written with ("tỉnh Quảng Ninh", "TP. Hồ Chí Minh"), folded.
PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp. ", "tp ")


def province_key(name):
    """Return the key a province is looked up by: :func:`fold` without a leading "tỉnh"/"thành phố"/"TP.".

    "Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh" and "Hồ Chí Minh" share the key "ho chi minh".
    """
    key = fold(name)
    for prefix in PROVINCE_PREFIXES:
        if key.startswith(prefix):
            return key.removeprefix(prefix)
    return key


def fold_number(value):
    """Return the key a certificate number is looked up by: :func:`fold` without any white space.

    "KVN-028/2024/GCN-CTĐP", "kvn-028/2024/gcn-ctdp", its NFD spelling and "KVN-028 / 2024 /
    GCN-CTĐP" share one key. It is computed here, never by the database: SQLite's ``lower()``
    folds ASCII only, so "Đ" and "đ" would stay apart there. Stored in ``number_folded``.
    """
    return "".join(fold(value).split())


_COLLATORS = threading.local()


def _collator():
    """This thread's Vietnamese collator (ICU's rule-based collator with CLDR's ``vi`` tailoring).

    One per thread: a collator is cheap to share for reading, but ICU documents only clones as
    safe across threads.
    """
    collator = getattr(_COLLATORS, "vi", None)
    if collator is None:
        collator = _COLLATORS.vi = icu.Collator.createInstance(icu.Locale("vi_VN"))
    return collator


def sort_key(value):
    """Return the key that puts ``value`` in Vietnamese alphabetical order (bytes; None sorts as "").

    CLDR's Vietnamese collation: ă and â are letters after a, đ a letter after d, ê after e,
    ô and ơ after o, ư after u; tone marks weigh only where the letters tie. So "Lạng Sơn" comes
    before "Lâm Đồng" and "Đà Nẵng" after "Dương Minh Châu", which an order by code point or by
    :func:`fold` gets wrong.
    """
    return _collator().getSortKey(nfc(value) or "")


def province_name_key(name):
    """The name a province is alphabetised by: without a leading kind word, so that "Thành phố Hồ Chí Minh"
    sits under H beside "Hà Nội" and "Hải Phòng", where people look for it."""
    name = nfc(name) or ""
    folded = fold(name)
    for prefix in PROVINCE_PREFIXES:
        if folded.startswith(prefix):
            return name[len(prefix):].lstrip()
    return name


def collate(items, key=None):
    """Return ``items`` sorted in Vietnamese alphabetical order of ``key(item)`` (the item itself by default).

    The sort is stable: items whose names tie keep the order they came in (load them ordered by
    id for a reproducible list).
    """
    name_of = key or (lambda item: item)
    return sorted(items, key=lambda item: sort_key(name_of(item)))
