"""How a product's certificates of different levels point at each other.

An entry nominated upward keeps its lower certificate, which stays valid;
when the higher round certifies it, the two certificates link both ways
through the :class:`~voting.models.Nomination` that carried the entry up.
Nothing is stored twice: the links follow from the nomination.
"""
from dataclasses import dataclass

from sqlalchemy import select

from voting.extensions import db
from voting.models import Nomination
from certificates.models import Certificate, CertificateStatus


@dataclass(frozen=True)
class Link:
    """One certificate at another level: ours (``certificate``) or a paper one (``paper``)."""

    number: str
    level: str
    year: int
    certificate: Certificate | None = None
    paper: object | None = None  # ImportedCertificate


def _current(application_id):
    return db.session.scalar(select(Certificate).where(
        Certificate.application_id == application_id, Certificate.status != CertificateStatus.SUPERSEDED))


def higher_certificates(certificate=None, imported=None):
    """Certificates the entry earned in the rounds it was nominated to from this certificate.

    ``imported``: a paper certificate (:class:`ImportedCertificate`), re-issued here or not.
    """
    if certificate is not None and certificate.imported_certificate_id is not None:
        imported_id = certificate.imported_certificate_id
    else:
        imported_id = imported.id if imported is not None else None
    if imported_id is not None:
        source = Nomination.source_imported_certificate_id == imported_id
    elif certificate is not None:
        source = Nomination.source_application_id == certificate.application_id
    else:
        return []
    links = []
    for nomination in db.session.scalars(select(Nomination).where(source, Nomination.withdrawn_at.is_(None))):
        higher = _current(nomination.target_application_id)
        if higher is not None:
            links.append(Link(higher.number, higher.level, higher.year, certificate=higher))
    return sorted(links, key=lambda link: (link.year, link.number))


def lower_certificate(certificate):
    """The certificate from the level below that made the entry eligible, if it came by nomination."""
    if certificate.application_id is None:
        return None
    nomination = db.session.scalar(select(Nomination).where(
        Nomination.target_application_id == certificate.application_id))
    if nomination is None:
        return None
    if nomination.source_certificate is not None:
        lower = nomination.source_certificate
        # A corrected certificate replaces the one nominated: point at the current one.
        while lower.superseded_by is not None:
            lower = lower.superseded_by
        return Link(lower.number, lower.level, lower.year, certificate=lower)
    paper = nomination.source_imported_certificate
    return Link(paper.number, paper.level, paper.year, paper=paper)
