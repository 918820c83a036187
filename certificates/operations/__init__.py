"""Verb-named writes on certificates, taking the acting user: issuing, correcting, suspending,
revoking, re-issuing, importing paper certificates, reports of fakes, signing keys, numbers.

They flush and never commit (the view, the command or the job runner does). May import
certificates.models, certificates.rules, certificates.documents.certificate_pdf and voting (not its views or forms).
"""
