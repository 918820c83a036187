"""The public registry's search table and its search: kept current from products and
certificates, searched with diacritics ignored, counted per province and group.

May import certificates.models, certificates.rules and voting.
"""
