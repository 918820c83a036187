"""The certificates' pages and API, one package per blueprint with its URL table in its __init__:
management, oversight, the verification a phone opens, the public registry and its records, GS1
Digital Link, the open-data API, imports of paper certificates.

May import anything of certificates and voting; registered by certificates.init_app.
"""
