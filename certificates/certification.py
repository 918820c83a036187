"""The certificates' side of :mod:`voting.rules.certification`: what the selection asks of certification.

``certificates.init_app`` registers one :class:`PlatformCertification` on the app; voting reaches it
only through :func:`voting.rules.certification.certification`.
"""
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import selectinload

from certificates.models import Certificate, CertificateStatus, ImportedCertificate, SigningKey
from voting.extensions import db
from voting.models import Application, Decision, DecisionEntry


class PlatformCertification:
    """Certificates as this platform issues and stores them (see the port's docstrings)."""

    def current_certificate(self, application):
        return db.session.scalar(select(Certificate).where(
            Certificate.application_id == application.id, Certificate.status != CertificateStatus.SUPERSEDED))

    def certified_entries(self, round_):
        return db.session.scalars(select(Certificate).where(
            Certificate.round_id == round_.id, Certificate.status != CertificateStatus.SUPERSEDED)
            .options(selectinload(Certificate.application).selectinload(Application.product),
                     selectinload(Certificate.application).selectinload(Application.producer))).all()

    def uncertified_counts(self, round_ids):
        # The entries certificates.operations.issuance.pending_entries would issue, counted for many rounds at once.
        latest = (select(Decision.round_id, func.max(Decision.sequence).label("sequence"))
                  .where(Decision.round_id.in_(round_ids), Decision.published_at.is_not(None))
                  .group_by(Decision.round_id).subquery())
        issued = exists().where(Certificate.round_id == Decision.round_id,
                                Certificate.application_id == DecisionEntry.application_id,
                                Certificate.status != CertificateStatus.SUPERSEDED)
        return dict(db.session.execute(
            select(Decision.round_id, func.count(DecisionEntry.id))
            .join(latest, and_(latest.c.round_id == Decision.round_id, latest.c.sequence == Decision.sequence))
            .join(DecisionEntry, DecisionEntry.decision_id == Decision.id)
            .where(~issued).group_by(Decision.round_id)).all())

    def paper_certificate_withdrawn(self, paper_certificate):
        reissued = db.session.scalar(select(Certificate).where(
            Certificate.imported_certificate_id == paper_certificate.id,
            Certificate.status != CertificateStatus.SUPERSEDED))
        return reissued is not None and reissued.status != CertificateStatus.VALID

    def find_by_number(self, folded_number):
        platform = db.session.scalars(select(Certificate).where(Certificate.number_folded == folded_number)
                                      .order_by(Certificate.id)).all()
        paper = db.session.scalars(select(ImportedCertificate).where(
            ImportedCertificate.number_folded == folded_number).order_by(ImportedCertificate.id)).all()
        return platform, paper

    def is_reissue_of(self, certificate, paper_certificate):
        return certificate.imported_certificate_id == paper_certificate.id

    def record_paper_certificate(self, **fields):
        certificate = ImportedCertificate(**fields)
        db.session.add(certificate)
        return certificate

    def number_template_problem(self, template):
        from certificates.operations.numbering import TemplateInvalid, check_template

        try:
            check_template(template)
        except TemplateInvalid:
            return True
        return False

    def issue_decided_round(self, actor, round_, decision, issued_on):
        from certificates.operations.issuance import issue_entries

        return issue_entries(actor, round_, [e.application for e in decision.entries], issued_on)

    def backup_facts(self):
        keys = [{"kid": k.kid, "public_key": k.public_key, "status": str(k.status), "scope": k.scope}
                for k in db.session.scalars(select(SigningKey).order_by(SigningKey.id))]
        return {"certificates": db.session.scalar(select(func.count(Certificate.id))), "signing_keys": keys}

    def check_restored(self, manifest):
        from certificates.operations.issuance import stored_pdf
        from certificates.operations.signed_copies import official_pdf
        from voting.core.errors import DomainError

        problems = []
        certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
        if len(certificates) != manifest["certificates"]:
            problems.append(f"{len(certificates)} certificates, the backup recorded {manifest['certificates']}")
        for certificate in certificates:
            if certificate.pdf_storage_name:
                try:
                    stored_pdf(certificate)
                    official_pdf(certificate)  # the office's signed copy too, where there is one
                except (OSError, DomainError):
                    problems.append(f"certificate {certificate.number}: its PDF is missing or altered")
        return len(certificates), problems
