"""How a product's certificates of different levels point at each other.

An entry nominated upward keeps its lower certificate, which stays valid;
when the higher round certifies it, the two certificates link both ways
through the :class:`~voting.models.Nomination` that carried the entry up.
Nothing is stored twice: the links follow from the nomination.
"""
from dataclasses import dataclass

from sqlalchemy import bindparam, select

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


def _higher_by(source_column):
    """The current certificates of the entries nominated upward from a source (``source_column`` equal to the
    bound ``source``), with their nominations not withdrawn: one statement for them all, built once (it was
    one for the nominations, one per nomination for its certificate, each built again for every page)."""
    return (select(Certificate)
            .join(Nomination, Nomination.target_application_id == Certificate.application_id)
            .where(source_column == bindparam("source"), Nomination.withdrawn_at.is_(None),
                   Certificate.status != CertificateStatus.SUPERSEDED)
            .order_by(Certificate.id))


_HIGHER_FROM_APPLICATION = _higher_by(Nomination.source_application_id)
_HIGHER_FROM_PAPER = _higher_by(Nomination.source_imported_certificate_id)
_NOMINATED_INTO = select(Nomination).where(Nomination.target_application_id == bindparam("application_id"))


def higher_certificates(certificate=None, imported=None):
    """Certificates the entry earned in the rounds it was nominated to from this certificate.

    ``imported``: a paper certificate (:class:`ImportedCertificate`), re-issued here or not.
    """
    if certificate is not None and certificate.imported_certificate_id is not None:
        imported_id = certificate.imported_certificate_id
    else:
        imported_id = imported.id if imported is not None else None
    if imported_id is not None:
        found = db.session.scalars(_HIGHER_FROM_PAPER, {"source": imported_id})
    elif certificate is not None:
        found = db.session.scalars(_HIGHER_FROM_APPLICATION, {"source": certificate.application_id})
    else:
        return []
    # One row per entry: a nomination's target entry is unique, and so is its current certificate (both in the schema).
    links = [Link(higher.number, higher.level, higher.year, certificate=higher) for higher in found]
    return sorted(links, key=lambda link: (link.year, link.number))


def lower_certificate(certificate):
    """The certificate from the level below that made the entry eligible, if it came by nomination."""
    if certificate.application_id is None:
        return None
    nomination = db.session.scalar(_NOMINATED_INTO, {"application_id": certificate.application_id})
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
