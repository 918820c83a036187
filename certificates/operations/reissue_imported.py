"""Re-issuing certificates issued on paper before the platform, with a signed QR of ours.

A paper certificate (:class:`ImportedCertificate`) is re-issued as a :class:`Certificate`
that keeps the paper number, names the imported record instead of a round, entry and
decision, and carries a snapshot of the facts as printed (the province as named then
and the current unit) with the note "Cấp lại từ Giấy chứng nhận (bản giấy) số … cấp ngày …".

Decisions (issue 7):

- Only a certificate still valid can be re-issued: the new one expires when the paper
  one did (``valid_until``), so it is refused when that day has passed or is today
  (a certificate must expire after its issue day). A paper certificate that states no
  validity is refused too: validity periods are unconfirmed (domain README), and
  inventing an expiry date would certify more than the paper did.
- The administrator names the authority that re-issues. It must issue at the paper
  certificate's level, and for a provincial (or commune) certificate cover the
  province where the certificate now lies (a Bắc Kạn certificate is re-issued by
  Thái Nguyên). Cấp huyện is no longer issued by anyone (1/7/2025): a district
  certificate is re-issued only by the provincial or commune authority the
  administrator names in the province where it now lies; it stays "cấp huyện" as printed.
- A paper certificate with a current re-issued certificate is not re-issued again,
  nor one whose number a platform certificate already uses.

Works in batches (like :func:`certificates.jobs.issue_round`): each batch signs,
renders, stores its PDFs and records one audit event per certificate; the caller's
``checkpoint`` (the command line commits there) ends each batch.
"""
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from certificates.operations.issuance import (
    BATCH_SIZE,
    render_and_store,
    canonical,
    digest_of,
    level_text,
)
from certificates.operations.keys import current_signer
from certificates.rules.signing import make_token
from voting.core.errors import DomainError
from voting.extensions import db
from voting.models import JurisdictionLevel, Province
from certificates.models import Certificate, CertificateStatus
from voting.core.text import fold_number, province_key

#: Levels nobody issues any more, and the authority levels that may re-issue them.
ENDED_LEVELS = {"huyen": ("tinh", "xa")}
#: Why a paper certificate is not re-issued (codes; :data:`SKIP_MESSAGES` says them in English).
SKIP_MESSAGES = {
    "already_reissued": "already re-issued as a certificate of the platform",
    "number_taken": "a certificate of this authority and year already uses this number",
    "expired": "expired on {valid_until}",
    "expires_today": "valid only until today ({valid_until}): nothing left to re-issue",
    "no_validity": "states no validity: re-issue refused (an expiry date would be invented)",
    "authority_level": "{authority} issues at level {authority_level}, not {level}",
    "authority_province": "{authority} does not cover the province where the certificate now lies",
    "number_unusable": "the number cannot be put in a signed token",
    "not_found": "no imported paper certificate with this number in the selection",
    "ambiguous": "{count} paper certificates bear this number ({which}): choose with --year or --level",
}


@dataclass
class Skipped:
    number: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self):
        return SKIP_MESSAGES[self.code].format(**self.params)


@dataclass
class ReissueReport:
    """What a run did (or, dry, would do): re-issued numbers and the skipped ones with their reasons."""

    reissued: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    dry_run: bool = False


def number_key(number):
    """A certificate number as compared: without case, spaces or diacritics ("qg - 2019-001" finds
    "QG-2019-001"; :func:`voting.core.text.fold_number`)."""
    return fold_number(number)


def dmy(day):
    return day.strftime("%d/%m/%Y")


def reissue_note(imported):
    """The sentence printed on the re-issued certificate (Vietnamese: a legal document)."""
    return f"Cấp lại từ Giấy chứng nhận (bản giấy) số {imported.number} cấp ngày {dmy(imported.decision_on)}"


def _level_text(level, province=None):
    return "cấp huyện" if level == "huyen" else level_text(level, province)


def _current_province(imported):
    return db.session.get(Province, imported.province_id) if imported.province_id else None


def snapshot_for_imported(imported, authority):
    """The facts of a paper certificate as printed, with the authority that re-issues it."""
    province = _current_province(imported)
    current = province.name if province else ""
    then = imported.province_name_then
    same_unit = not current or province_key(then) == province_key(current)
    address = then if same_unit else f"{then} (nay thuộc {province.full_name})"
    return {
        "product_name": imported.product_name,
        "group_name": imported.group.name if imported.group else "",
        "producer_name": imported.producer_name, "producer_address": address,
        "province_name": current or then, "province_name_then": then,
        "level": imported.level, "level_label": _level_text(imported.level, province if same_unit else None), "year": imported.year,
        "decision_number": imported.decision_number, "decision_on": imported.decision_on.isoformat(),
        "decision_authority": imported.authority_name,
        "authority_name": authority.name, "authority_parent": authority.parent_name or "",
        "place": authority.place_name or "",
        "signer_name": "", "signer_title": "",
        "reissued_from_paper": True, "paper_number": imported.number,
        "paper_date": imported.decision_on.isoformat(), "reissue_note": reissue_note(imported),
    }


def within_authority(imported, authority):
    """Whether ``authority`` may re-issue ``imported`` as far as its level and territory go."""
    return _authority_problem(imported, authority) is None


def _authority_problem(imported, authority):
    allowed = ENDED_LEVELS.get(imported.level, (imported.level,))
    if authority.jurisdiction_level not in allowed:
        return "authority_level", {"authority": authority.code, "authority_level": authority.jurisdiction_level,
                                   "level": imported.level}
    if (authority.jurisdiction_level in (JurisdictionLevel.PROVINCE, JurisdictionLevel.COMMUNE)
            and authority.province_id != imported.province_id):
        return "authority_province", {"authority": authority.code}
    if authority.jurisdiction_level == JurisdictionLevel.REGION and authority.region_id is not None:
        province = _current_province(imported)
        if province is None or province.region_id != authority.region_id:
            return "authority_province", {"authority": authority.code}
    return None


def refusal(imported, authority, today):
    """``(code, params)`` when ``imported`` may not be re-issued by ``authority`` on ``today``, else None."""
    current = db.session.scalar(select(Certificate.id).where(
        Certificate.imported_certificate_id == imported.id, Certificate.status != CertificateStatus.SUPERSEDED))
    if current is not None:
        return "already_reissued", {}
    # Numbers are unique per authority and year ("15/GCN-UBND" of another province is another number).
    if db.session.scalar(select(Certificate.id).where(
            Certificate.number_folded == fold_number(imported.number), Certificate.authority_id == authority.id,
            Certificate.year == imported.year).limit(1)) is not None:
        return "number_taken", {}
    if imported.valid_until is None:
        return "no_validity", {}
    if imported.valid_until < today:
        return "expired", {"valid_until": dmy(imported.valid_until)}
    if imported.valid_until == today:
        return "expires_today", {"valid_until": dmy(imported.valid_until)}
    if not imported.number.isprintable() or len(imported.number.encode()) > 255:
        return "number_unusable", {}
    return _authority_problem(imported, authority)


def new_certificate(actor, imported, authority, signer, today):
    private_key, key = signer
    snapshot = snapshot_for_imported(imported, authority)
    digest = digest_of(snapshot)
    certificate = Certificate(
        number=imported.number, authority_id=authority.id, level=imported.level, year=imported.year,
        sequence=None, round_id=None, application_id=None, decision_id=None,
        imported_certificate_id=imported.id, snapshot=canonical(snapshot), digest=digest,
        issued_on=today, expires_on=imported.valid_until, status=CertificateStatus.VALID,
        signing_key_id=key.id,
        token=make_token(private_key, key.kid, imported.number, today, imported.valid_until, digest),
        issued_by_id=actor.id if actor is not None else None)
    db.session.add(certificate)
    return certificate


def reissue_imported(actor, imported_certificates, authority, today, *, dry_run=False, batch_size=BATCH_SIZE,
                     progress=None, checkpoint=None):
    """Re-issue each paper certificate with a signed QR; return the :class:`ReissueReport`.

    Flushes and never commits: ``checkpoint()`` is called after every batch, and a runner that
    commits there (certificates, their PDFs and audit events together) lets an interrupted run keep
    what it finished, the next run skipping those as already re-issued. With ``dry_run`` nothing is
    written: the report says what would happen.

    :param actor: an administrator, or None for the command line (the system).
    :param authority: the :class:`IssuingAuthority` that re-issues; it must be active.
    :raise DomainError: ``authority_inactive``; :class:`SignerUnavailable` without a usable key.
    """
    from voting.operations.audit import record_event

    if not authority.active:
        raise DomainError("authority_inactive")
    report = ReissueReport(dry_run=dry_run)
    eligible = []
    for imported in imported_certificates:
        problem = refusal(imported, authority, today)
        if problem:
            report.skipped.append(Skipped(imported.number, *problem))
        else:
            eligible.append(imported)
    if dry_run:
        report.reissued = [imported.number for imported in eligible]
        return report
    signer = current_signer(current_app)
    for start in range(0, len(eligible), batch_size):
        batch = eligible[start:start + batch_size]
        issued = [new_certificate(actor, imported, authority, signer, today) for imported in batch]
        db.session.flush()
        render_and_store(issued)
        for imported, certificate in zip(batch, issued, strict=True):
            record_event(actor, "certificate.reissue_imported", certificate, data={
                "number": certificate.number, "imported_certificate_id": imported.id,
                "authority": authority.code, "digest": certificate.digest,
                "expires_on": certificate.expires_on.isoformat(), "pdf_sha256": certificate.pdf_sha256})
        db.session.flush()
        report.reissued += [c.number for c in issued]
        if checkpoint:
            checkpoint()
        if progress:
            progress(start + len(batch), len(eligible))
    return report

