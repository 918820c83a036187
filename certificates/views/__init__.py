"""The certificates' pages and API: one module per blueprint (management, oversight, the
verification a phone opens, the public registry and its records, the open-data API, imports).

May import anything of certificates and voting; registered by certificates.init_app.
"""
