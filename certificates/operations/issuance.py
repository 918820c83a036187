"""Issuing a round's certificates (what happens to one afterwards: :mod:`certificates.operations.lifecycle`).

Issuance takes the certified entries of the round's latest published decision
that have no current certificate yet, in batches: each batch takes its
numbers and signs its tokens, then renders its certificates as one PDF
document (much faster per page than one document each), splits it into one
PDF per certificate and stores each file once with its SHA-256. These
operations flush and never commit: the runner that loops over the batches
(:func:`certificates.jobs.issue_round`) commits after each step. Running it
again issues nothing twice; an interrupted run is completed by the next.

After issuance the issuing organiser may suspend, reinstate, revoke, or
correct a certificate in force (a corrected copy, with a new number and the
same validity dates, supersedes it; the old QR keeps working and says so).
Every change is audited.
"""
import calendar
import hashlib
import json
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from certificates.documents.certificate_pdf import CertificateDoc, render_certificates_for_signing, split_pages
from certificates.documents.digital_signature import RenderedPdf, sign_pages, stamped
from certificates.operations.keys import current_signer
from certificates.operations.numbering import format_number, take_sequence
from certificates.rules.signing import make_token
from voting.core.errors import DomainError
from voting.extensions import db
from voting.rules.addresses import public_address
from voting.rules.entry_names import EntryNames, names_decided
from voting.core.code_labels import LEVEL_LABELS
from voting.models import Application, DecisionEntry, Producer, Product, RoundStatus, ValidityFrom
from certificates.models import Certificate, CertificateStatus
from voting.models.base import utcnow
from voting.operations.audit import record_event
from voting.operations.complaints import complaint_window, results_final
from voting.operations.rounds import PreconditionFailed
from voting.rules.permissions import can_manage_round
from voting.rules.results import latest_decision
from voting.rules.signer import SignerBlock
from voting.core.security import public_base_url
from voting.core.storage import storage
from voting.core.pades.settings import signs_on_server
from voting.documents.authority_images import artwork_data_uri, seal_data_uri

BATCH_SIZE = 25
#: The facts a correction may change (a typo); everything else comes from the decision.
CORRECTABLE = ("product_name", "producer_name", "producer_address", "group_name")


# What is certified --------------------------------------------------------------------------------

def level_text(level, province=None):
    """"cấp tỉnh", "cấp quốc gia" … as printed on certificates (always Vietnamese: a legal document).

    :param province: the unit a provincial level is named for: "cấp thành phố" for a centrally-run city.
    """
    if level == "tinh" and province is not None:
        return province.level_words
    return {"xa": "cấp xã", "tinh": "cấp tỉnh", "khu_vuc": "cấp khu vực", "quoc_gia": "cấp quốc gia"}.get(
        level, str(LEVEL_LABELS.get(level, level)))


def _names_certified(decision, application, listed):
    """The names the decision lists for ``application`` (its ``DecisionEntry``, ``listed`` if given)."""
    if listed is None and getattr(application, "id", None) is not None:
        listed = next((e for e in decision.entries if e.application_id == application.id), None)
    if listed is not None and listed.product_name:
        return names_decided(listed)
    product, producer = application.product, application.producer  # a list frozen before names were
    return EntryNames(product_name=product.name, group_name=product.group.name if product.group else "",
                      producer_name=producer.name, province_name=producer.province.name if producer.province else "")


def snapshot_for(round_, decision, application, listed=None):
    """The certified facts, to be frozen into the certificate.

    The names are those the decision lists (frozen at the council's vote: :mod:`voting.rules.entry_names`), so
    that a producer renamed between the decision and the issuance gets a certificate naming what was
    decided; the address is the producer's at issuance, to its commune and as far as it consented to
    publish it (:func:`voting.rules.addresses.public_address`; no decision lists it). Certificates
    issued before the commune was printed keep their frozen address, and their digest with it.

    :param listed: the application's ``DecisionEntry``, when the caller has it at hand.
    """
    producer, authority = application.producer, round_.authority
    names = _names_certified(decision, application, listed)
    signer = SignerBlock.of(decision)
    return {
        "product_name": names.product_name, "group_name": names.group_name,
        "producer_name": names.producer_name, "producer_address": public_address(producer),
        "province_name": names.province_name,
        "level": round_.jurisdiction_level, "level_label": level_text(round_.jurisdiction_level, round_.province),
        "year": round_.year, "round_title": round_.title, "entry_code": application.entry_code,
        "decision_number": decision.decision_number, "decision_on": decision.decision_on.isoformat(),
        "decision_authority": authority.name if authority else "",
        "authority_name": authority.name if authority else "",
        "authority_parent": authority.parent_name if authority else "",
        "place": authority.place_name if authority else "",
        # "signer_title" keeps its meaning from before the signer block (the capacity lines as printed,
        # one per line), which is all a certificate issued then has; "signer" is the block itself.
        "signer_name": signer.name, "signer_title": "\n".join(signer.lines), "signer": signer.as_dict(),
    }


def canonical(snapshot):
    """The one serialisation the digest is taken over: sorted keys, no spaces, UTF-8 (NFC text)."""
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest_of(snapshot):
    return hashlib.sha256(canonical(snapshot).encode()).hexdigest()


def add_months(day, months):
    """The same day ``months`` later, or that month's last day when it has none (31/01 + 1 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def verify_url(token):
    """The absolute URL a QR code carries: the same in a request, a job or a command (``PUBLIC_BASE_URL``)."""
    return public_base_url() + "/v/" + token


def document_date(certificate):
    """The date the certificate's document bears: its issue, or the correction or re-issue that made it."""
    dated_on = json.loads(certificate.snapshot).get("dated_on")
    return date.fromisoformat(dated_on) if dated_on else certificate.issued_on


def document_for(certificate):
    """The plain values a certificate's PDF is drawn from (its snapshot, number, dates and QR URL)."""
    facts = json.loads(certificate.snapshot)
    return CertificateDoc(
        authority_parent=facts["authority_parent"], authority_name=facts["authority_name"], place=facts["place"],
        number=certificate.number, level_label=facts["level_label"], year=facts["year"],
        decision_number=facts["decision_number"], decision_date=date.fromisoformat(facts["decision_on"]),
        decision_authority=facts["decision_authority"], product_name=facts["product_name"],
        group_name=facts["group_name"], producer_name=facts["producer_name"],
        producer_address=facts["producer_address"], province_name=facts["province_name"],
        issued_on=document_date(certificate), expires_on=certificate.expires_on,
        signer_title=facts["signer_title"], signer_name=facts["signer_name"],
        signer=SignerBlock(**facts["signer"]) if facts.get("signer") else None, verify_url=verify_url(certificate.token),
        artwork_data_uri=artwork_data_uri(certificate.authority), status_watermark=None,
        reissue_note=facts.get("reissue_note"), replaces_number=facts.get("supersedes_number"),
        replaces_date=date.fromisoformat(facts["supersedes_dated"]) if facts.get("supersedes_dated") else None,
        authority_code=certificate.authority.code if certificate.authority else None,
        # Read only where it will be drawn: with the stamp of an authority that signs here.
        seal_data_uri=seal_data_uri(certificate.authority) if signs_on_server(
            current_app, certificate.authority.code if certificate.authority else None) else None)


# Storage ------------------------------------------------------------------------------------------

def store_pdf(certificate, data):
    """Save the PDF (atomically) in the certificates' storage and record its name and SHA-256."""
    store_pdfs([(certificate, RenderedPdf(data))])


def store_pdfs(pairs):
    """:func:`store_pdf` for each ``(certificate, RenderedPdf)``, the files saved together (one sync of the
    folder), with the digital signature's signer and time when the PDF is signed."""
    names = [f"{c.id:08d}-{hashlib.sha256(c.number.encode()).hexdigest()[:12]}.pdf" for c, _ in pairs]
    storage("certificates").save_many([(name, pdf.data) for name, (_, pdf) in zip(names, pairs, strict=True)])
    for name, (certificate, pdf) in zip(names, pairs, strict=True):
        certificate.pdf_storage_name, certificate.pdf_sha256 = name, hashlib.sha256(pdf.data).hexdigest()
        certificate.pdf_signed_by, certificate.pdf_signed_at = pdf.signed_by, pdf.signed_at


def stored_pdf(certificate):
    """The stored bytes, checked against the recorded SHA-256 (a changed file is an error, not served)."""
    data = storage("certificates").read(certificate.pdf_storage_name)
    if hashlib.sha256(data).hexdigest() != certificate.pdf_sha256:
        raise DomainError("certificate_file_changed", number=certificate.number)
    return data


# Issuance -----------------------------------------------------------------------------------------

def issuance_problems(round_, today):
    """Why the round's certificates cannot be issued yet: ``(code, params)`` pairs."""
    if round_.status == RoundStatus.CERTIFYING:
        return []
    published, closes_on = complaint_window(round_)
    if round_.status == RoundStatus.ANNOUNCED:  # the rules' order: the decision follows the complaints
        return [("not_decided_yet", {"closes_on": closes_on.strftime("%d/%m/%Y")})]
    if round_.status != RoundStatus.DECIDED or published is None:
        return [("results_not_published", {})]
    if today <= closes_on:
        return [("complaint_window_open", {"closes_on": closes_on.strftime("%d/%m/%Y")})]
    if not results_final(round_, today):
        return [("complaints_open", {})]
    return []


def pending_entries(round_):
    """The certified entries of the latest published decision without a current certificate."""
    decision = latest_decision(round_.id, published_only=True)
    if decision is None:
        return None, []
    issued = select(Certificate.application_id).where(Certificate.round_id == round_.id,
                                                      Certificate.status != CertificateStatus.SUPERSEDED)
    entries = db.session.scalars(
        select(DecisionEntry).where(DecisionEntry.decision_id == decision.id,
                                    DecisionEntry.application_id.not_in(issued))
        .options(*ENTRY_FACTS).order_by(DecisionEntry.rank)).all()
    return decision, entries


#: What a certificate's snapshot reads from an entry, loaded with it (a few queries per batch, not per entry).
ENTRY_FACTS = (
    selectinload(DecisionEntry.application).selectinload(Application.product).selectinload(Product.group),
    selectinload(DecisionEntry.application).selectinload(Application.producer).selectinload(Producer.province),
    selectinload(DecisionEntry.application).selectinload(Application.producer).selectinload(Producer.commune))


def new_certificate(actor, round_, decision, application, snapshot, signer, today, supersedes=None,
                     validity=None):
    """Number, sign and add a certificate dated as its round says, or over ``validity``: ``(from, until)``."""
    private_key, key = signer
    authority = round_.authority
    sequence = take_sequence(authority.id, round_.jurisdiction_level, round_.year)
    number = format_number(authority, round_.jurisdiction_level, round_.year, sequence)
    # Dated on the decision and valid from it, as the rules have it, or on the day of issue (older rounds).
    start = decision.decision_on if round_.validity_from == ValidityFrom.DECISION else today
    months = round_.certificate_validity_months  # None: the round's certificates do not expire
    issued_on, expires_on = validity or (start, None if months is None else add_months(start, months))
    digest = digest_of(snapshot)
    certificate = Certificate(
        number=number, authority_id=authority.id, level=round_.jurisdiction_level, year=round_.year,
        sequence=sequence, round_id=round_.id, application_id=application.id, decision_id=decision.id,
        snapshot=canonical(snapshot), digest=digest, issued_on=issued_on, expires_on=expires_on,
        status=CertificateStatus.VALID, signing_key_id=key.id,
        token=make_token(private_key, key.kid, number, issued_on, expires_on, digest),
        supersedes_id=supersedes.id if supersedes else None, issued_by_id=actor.id if actor else None)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def render_pages(docs):
    """The certificates of ``docs`` as one :class:`RenderedPdf` each, rendered as one document and cut page by page,
    each signed with its authority's key where the authority signs on the server
    (:mod:`certificates.documents.digital_signature`)."""
    docs = [stamped(doc) for doc in docs]
    pdf, boxes = render_certificates_for_signing(docs)
    parts = split_pages(pdf)
    if len(parts) != len(docs):  # one page per certificate, or nothing is stored
        raise RuntimeError(f"{len(docs)} certificates rendered as {len(parts)} pages")
    return sign_pages(parts, docs, boxes)


def render_and_store(certificates):
    """Render and store in the caller's transaction (one certificate at a time: a correction, a re-issue)."""
    store_pdfs(list(zip(certificates, render_pages([document_for(c) for c in certificates]), strict=True)))


def start_certifying(actor, round_, decision):
    if round_.status == RoundStatus.DECIDED:
        round_.status = RoundStatus.CERTIFYING
        round_.status_changed_at = utcnow()
        record_event(actor, "round.start_certifying", round_, data={"decision": decision.decision_number})


def check_can_issue(actor, round_, today):
    if actor is not None and not can_manage_round(actor, round_):
        raise DomainError("organiser_only")
    problems = issuance_problems(round_, today)
    if not problems and round_.authority is None:
        problems = [("no_authority", {})]
    if problems:
        raise PreconditionFailed(problems)


def issue_batch(actor, round_, decision, entries, signer, today, render=True):
    """Number and sign certificates for ``entries`` (``DecisionEntry`` rows, or applications), and with
    ``render`` their PDFs too; the caller commits."""
    issued = []
    for entry in entries:
        application, listed = (entry.application, entry) if isinstance(entry, DecisionEntry) else (entry, None)
        issued.append(new_certificate(actor, round_, decision, application,
                                       snapshot_for(round_, decision, application, listed), signer, today))
    if render:
        render_and_store(issued)
    for certificate in issued:
        data = {"number": certificate.number, "application_id": certificate.application_id,
                "digest": certificate.digest}
        if render:
            data["pdf_sha256"] = certificate.pdf_sha256
            if certificate.pdf_signed_by:
                data["pdf_signed_by"] = certificate.pdf_signed_by
        record_event(actor, "certificate.issue", certificate, data=data)
    return issued


def issue_entries(actor, round_, applications, today):
    """Issue the certificates of ``applications`` in one batch (numbers, PDFs, audit); the caller commits.

    Only entries on the published decision, each once.
    """
    check_can_issue(actor, round_, today)
    decision, entries = pending_entries(round_)
    listed = {e.application_id for e in decision.entries} if decision is not None else set()
    pending = {e.application_id for e in entries}
    for application in applications:
        if application.id not in listed:
            raise DomainError("not_certified")
        if application.id not in pending:
            raise DomainError("already_issued")
    start_certifying(actor, round_, decision)
    return issue_batch(actor, round_, decision, applications, current_signer(current_app), today)


def issue_for_entry(actor, round_, application, today):
    """Issue one entry's certificate; only for an entry on the published decision, and only once."""
    return issue_entries(actor, round_, [application], today)[0]
