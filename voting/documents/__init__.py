"""Documents of the selection: every PDF and Excel builder and chart (exports, reports, score
sheets, nomination lists, the import workbook).

May import: voting.models, voting.core, voting.rules. Never imports operations, views or forms.
"""
