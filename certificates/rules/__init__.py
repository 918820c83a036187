"""What a certificate means: its signed token and how it verifies, the names it certified, its
lineage across levels, who may handle its reports.

May import certificates.models and voting.models, voting.core, voting.rules; no views, no forms.
"""
