"""What the selection needs of certification: the port voting owns and :mod:`certificates` implements.

The selection decides; certificates follow its decisions. A few rules of the selection read
certificates back (a nomination needs the entry's certificate still valid on the next round's
deadline; a paper list names paper certificates; a backup counts certificates), so voting states
here exactly what it asks, and ``certificates.init_app`` hands the app an implementation
(:func:`provide`). Voting never imports :mod:`certificates`: it calls :func:`certification`, which
fails loudly when no implementation was registered, rather than treating every entry as uncertified.

Certificates come back as opaque records (:class:`CertificateRecord`): voting reads the attributes
listed there and hands them back to the port or stores them in a relationship
(``Nomination.source_certificate``), nothing else.
"""
from datetime import date
from typing import Protocol

from flask import current_app

#: The first year of the programme's rules (Thông tư 26/2014/TT-BCT): no certificate predates it.
FIRST_YEAR = 2014
#: The stored status of a certificate in force; any other (suspended, revoked, superseded) is not.
VALID = "valid"
#: What :meth:`CertificateRecord.status_on` says of a valid certificate past its expiry.
EXPIRED = "expired"
#: Where the implementation is kept on the app.
EXTENSION = "voting.certification"


class CertificateRecord(Protocol):
    """A certificate issued on the platform, as voting reads it."""

    id: int
    number: str
    #: The stored status: :data:`VALID`, or one that withdrew or replaced it.
    status: str
    expires_on: date | None  # None: does not expire
    application_id: int | None
    decision_id: int | None
    application: object  # the certified entry (an Application)

    def status_on(self, day: date) -> str:
        """The status as the public sees it on ``day``: :data:`EXPIRED` for a valid one past its date."""


class PaperCertificateRecord(Protocol):
    """A certificate issued on paper before the platform (or named by a province's paper list)."""

    id: int
    number: str
    level: str
    decision_number: str
    decision_on: date
    valid_until: date | None
    product_name: str
    product_name_folded: str
    producer_name: str
    producer_name_folded: str
    province_id: int | None
    province_name_then: str
    product_id: int | None


class Certification(Protocol):
    """Everything voting asks of certification; the session is the caller's (nothing here commits)."""

    def current_certificate(self, application) -> CertificateRecord | None:
        """The entry's certificate as it stands (a correction replaces the one it supersedes), or None."""

    def certified_entries(self, round_) -> list[CertificateRecord]:
        """The current certificates of ``round_``'s entries, each with its entry, product and producer loaded."""

    def uncertified_counts(self, round_ids) -> dict[int, int]:
        """``{round_id: n}``: how many certified entries of each round's latest published list have no current
        certificate yet, in one query (rounds with none are left out)."""

    def paper_certificate_withdrawn(self, paper_certificate) -> bool:
        """True if the paper certificate was re-issued here and that certificate is now suspended or revoked."""

    def find_by_number(self, folded_number) -> tuple[list[CertificateRecord], list[PaperCertificateRecord]]:
        """Every platform certificate and every paper certificate with this folded number
        (``voting.core.text.fold_number``); a re-issued paper certificate is in both. Official numbers
        ("15/GCN-UBND") are unique per issuing authority and year only, hence lists."""

    def is_reissue_of(self, certificate, paper_certificate) -> bool:
        """True if the platform's ``certificate`` is the re-issue of ``paper_certificate``."""

    def record_paper_certificate(self, **fields) -> PaperCertificateRecord:
        """Add a paper certificate named by a province's paper list to the session (the fields of
        :class:`PaperCertificateRecord`, plus ``year``, ``authority_name``, ``group_code``,
        ``imported_by_id``, ``source_file_name``, ``row_number``, ``product``)."""

    def number_template_problem(self, template) -> bool:
        """True if an authority's certificate number template cannot number certificates."""

    def issue_decided_round(self, actor, round_, decision, issued_on) -> list[CertificateRecord]:
        """Issue the certificates of every entry on ``decision`` (the round's published one), dated ``issued_on``
        (the demo's past rounds are certified this way, through the issuance operations)."""

    def backup_facts(self) -> dict:
        """What a restore must find again, as stored in a backup's manifest: ``{"certificates": count,
        "signing_keys": [{"kid", "public_key", "status", "scope"}]}``."""

    def check_restored(self, manifest) -> tuple[int, list[str]]:
        """After a restore: how many certificates there are, and each problem found (a count differing
        from the manifest's, a stored PDF missing or altered) as a sentence."""


def provide(app, implementation):
    """Register the implementation on ``app`` (``certificates.init_app`` does)."""
    app.extensions[EXTENSION] = implementation


def certification() -> Certification:
    """The current app's implementation of the port.

    :raise RuntimeError: when none was registered: an app built without ``certificates.init_app``
        cannot tell which entries are certified, and must not guess.
    """
    implementation = current_app.extensions.get(EXTENSION)
    if implementation is None:
        raise RuntimeError("No certification is registered on this app: certificates.init_app(app) was not called.")
    return implementation
