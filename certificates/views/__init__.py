"""The certificates' pages and API, one package per blueprint with its URL table in its __init__:
management, oversight, the verification a phone opens, the public registry and its records, GS1
Digital Link, the open-data API, imports of paper certificates.

Each package's ``__init__`` holds its blueprint and its URL table; the view functions live in the
modules it names. Views may import anything of certificates and voting, own the transaction (one
commit per request), and are registered by :func:`certificates.init_app`.
"""
