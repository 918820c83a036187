"""Summary reports of the programme for organisers (issue 21): :mod:`certificates.reports.figures`."""
