"""WTForms forms; every message is translatable and every value NFC-normalised."""
