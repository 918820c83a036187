"""Vietnamese text: storage normal form and search folding."""
import re
import unicodedata

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


def fold_number(value):
    """Return the key a certificate number is looked up by: :func:`fold` without any white space.

    "KVN-028/2024/GCN-CTĐP", "kvn-028/2024/gcn-ctdp", its NFD spelling and "KVN-028 / 2024 /
    GCN-CTĐP" share one key. It is computed here, never by the database: SQLite's ``lower()``
    folds ASCII only, so "Đ" and "đ" would stay apart there. Stored in ``number_folded``.
    """
    return "".join(fold(value).split())
