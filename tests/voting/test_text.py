"""Vietnamese text: NFC storage and diacritic-insensitive search keys."""
import unicodedata

import pytest

from voting.core.text import fold, nfc


@pytest.mark.parametrize("typed, stored", [
    ("hoà", "hòa"),                                  # old and new tone placement
    ("Miến dong", "mien dong"),
    ("MIẾN DONG", "miến dong"),
    ("Đắk Lắk", "dak lak"),
    ("Thủy", "thuỷ"),
    ("  Bắc   Kạn ", "bac kan"),
    (unicodedata.normalize("NFD", "Thái Nguyên"), "thai nguyen"),  # phones sending NFD
])
def test_fold_ignores_marks_case_and_spacing(typed, stored):
    assert fold(typed) == fold(stored)


def test_fold_keeps_different_words_different():
    assert fold("mật ong") != fold("mắc ca")


def test_nfc_normalises_decomposed_input():
    decomposed = unicodedata.normalize("NFD", " Hợp tác xã ")
    assert decomposed != "Hợp tác xã"
    assert nfc(decomposed) == "Hợp tác xã"
    assert nfc(None) is None
