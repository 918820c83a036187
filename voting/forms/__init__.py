"""WTForms forms; every message is translatable and every value NFC-normalised.

May import voting.models, voting.rules and voting.core; never operations or views.
"""
