"""Selection rounds (đợt bình chọn) and the applications entered into them."""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, sql_values, utcnow
from voting.models.jurisdiction import JurisdictionMixin
from voting.models.signer import SignerColumns


class RoundStatus(StrEnum):
    """The round's phase. Transitions beyond registration come with the scoring issue."""

    DRAFT = "draft"
    REGISTRATION_OPEN = "registration_open"
    SCREENING = "screening"
    SCORING = "scoring"
    FIELD_VISITS = "field_visits"
    SECOND_SCORING = "second_scoring"
    DELIBERATION = "deliberation"
    #: The council's proposed list is public and open to complaints; the decision comes after them.
    ANNOUNCED = "announced"
    DECIDED = "decided"
    CERTIFYING = "certifying"
    CLOSED = "closed"


class StepOrder(StrEnum):
    """Where the recognition decision falls among the last steps of a round (a per-round choice).

    ``ANNOUNCE_FIRST`` is the rules' order: the council votes its proposal, the results are announced,
    complaints are taken and settled, then the authority decides. ``DECIDE_FIRST`` decides on the vote and
    publishes the decided list, complaints following it (some provinces run it so; rounds before the
    choice existed ran it so).
    """

    ANNOUNCE_FIRST = "announce_first"
    DECIDE_FIRST = "decide_first"


class ValidityFrom(StrEnum):
    """The day a certificate is dated on and its validity counted from."""

    DECISION = "decision"  # the recognition decision's date, as the rules have it
    ISSUE = "issue"        # the day the platform issues it (rounds before the choice existed)


class Round(JurisdictionMixin, SignerColumns, db.Model):
    """Một đợt bình chọn at one level, for one jurisdiction and year.

    Its signer block (:class:`SignerColumns`) is the default signer of its decisions.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=RoundStatus.DRAFT, index=True)
    registration_opens_on: Mapped[date]
    registration_closes_on: Mapped[date]
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("issuing_authority.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Planned dates of the later phases (the registration window is above).
    scoring_starts_on: Mapped[date | None]
    scoring_ends_on: Mapped[date | None]
    deliberation_on: Mapped[date | None]

    # Scoring settings. Rules the sources leave open are settings, not constants.
    point_step: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("0.5"))
    pass_mark: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("70"))
    min_sheets_per_entry: Mapped[int] = mapped_column(default=3)
    # Members of the council needed for a valid vote (distinct from the sheets per entry).
    council_quorum: Mapped[int] = mapped_column(default=3)
    # Optional second scoring stage after field visits (as the national round does).
    second_stage: Mapped[bool] = mapped_column(default=False)
    #: "all_passing" (every entry at or above the pass mark) or "top_n".
    second_stage_rule: Mapped[str] = mapped_column(String(20), default="all_passing")
    second_stage_top_n: Mapped[int | None]
    #: None: the round's certificates do not expire (the rules set no term; a round may choose so).
    certificate_validity_months: Mapped[int | None] = mapped_column(default=36)
    step_order: Mapped[str] = mapped_column(String(20), default=StepOrder.ANNOUNCE_FIRST)
    validity_from: Mapped[str] = mapped_column(String(10), default=ValidityFrom.DECISION)
    #: Whether the organiser accepts a dossier only once the producer has uploaded the signed registration
    #: form (phiếu đăng ký): whether the paper form is still required beside the online one is unconfirmed.
    require_signed_registration_form: Mapped[bool] = mapped_column(default=True)
    #: With a second stage, the weight of its mean in the final score (1 = stage 2 only).
    second_stage_weight: Mapped[Decimal] = mapped_column(Numeric(3, 2), default=Decimal("1"))

    # Deliberation settings (the sources leave them open).
    #: A sheet is flagged when its total lies further than ``outlier_mad_factor`` median
    #: absolute deviations from the entry's median, and at least ``outlier_min_spread`` points.
    outlier_mad_factor: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("3"))
    outlier_min_spread: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("10"))
    #: "half" (more than half of the members present vote for) or "two_thirds" (at least two thirds).
    vote_majority: Mapped[str] = mapped_column(String(20), default="half")
    #: "none", "rank" or "score": how the round's prize tiers (giải A/B/C ...) are given.
    prize_mode: Mapped[str] = mapped_column(String(10), default="none")
    #: Days after publication in which producers may file a complaint (khiếu nại).
    complaint_window_days: Mapped[int] = mapped_column(default=15)
    #: Nominations (đề cử) this round takes from each province; None: no quota (the rules set none).
    nomination_quota: Mapped[int | None]

    # Conflict-of-interest detection rules, each switchable per round.
    detect_same_person: Mapped[bool] = mapped_column(default=True)
    detect_same_contact: Mapped[bool] = mapped_column(default=True)
    detect_same_registration: Mapped[bool] = mapped_column(default=True)
    detect_same_organisation: Mapped[bool] = mapped_column(default=True)

    authority: Mapped["IssuingAuthority | None"] = relationship()  # noqa: F821
    applications: Mapped[list["Application"]] = relationship(back_populates="round")
    criteria: Mapped[list["RoundCriterion"]] = relationship(  # noqa: F821
        back_populates="round", order_by="RoundCriterion.position", cascade="all, delete-orphan")
    council_members: Mapped[list["CouncilMember"]] = relationship(  # noqa: F821
        back_populates="round", cascade="all, delete-orphan")
    jurors: Mapped[list["Juror"]] = relationship(  # noqa: F821
        back_populates="round", cascade="all, delete-orphan")
    support_members: Mapped[list["SupportMember"]] = relationship(  # noqa: F821
        back_populates="round", cascade="all, delete-orphan")
    council: Mapped["Council | None"] = relationship(  # noqa: F821
        back_populates="round", cascade="all, delete-orphan", uselist=False)
    prize_tiers: Mapped[list["PrizeTier"]] = relationship(  # noqa: F821
        order_by="PrizeTier.position", cascade="all, delete-orphan")

    __table_args__ = (
        JurisdictionMixin.jurisdiction_check(),
        *SignerColumns.signer_checks(),
        CheckConstraint("jurisdiction_level IS NOT NULL", name="has_jurisdiction"),
        CheckConstraint(f"status IN ({sql_values(RoundStatus)})", name="status_known"),
        CheckConstraint("registration_closes_on >= registration_opens_on", name="window_order"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        CheckConstraint("point_step > 0", name="point_step_positive"),
        CheckConstraint("pass_mark >= 0", name="pass_mark_positive"),
        CheckConstraint("min_sheets_per_entry >= 1", name="min_sheets_positive"),
        CheckConstraint("council_quorum >= 1", name="quorum_positive"),
        CheckConstraint("certificate_validity_months IS NULL OR certificate_validity_months BETWEEN 1 AND 120",
                        name="validity_range"),
        CheckConstraint("second_stage_rule IN ('all_passing', 'top_n')", name="second_stage_rule_known"),
        CheckConstraint("second_stage_rule <> 'top_n' OR second_stage_top_n >= 1", name="top_n_given"),
        CheckConstraint("second_stage_weight > 0 AND second_stage_weight <= 1", name="stage_weight_range"),
        CheckConstraint("outlier_mad_factor > 0 AND outlier_min_spread >= 0", name="outlier_rule_positive"),
        CheckConstraint("vote_majority IN ('half', 'two_thirds')", name="vote_majority_known"),
        CheckConstraint("prize_mode IN ('none', 'rank', 'score')", name="prize_mode_known"),
        CheckConstraint("complaint_window_days BETWEEN 1 AND 90", name="complaint_window_range"),
        CheckConstraint("nomination_quota IS NULL OR nomination_quota >= 1", name="nomination_quota_positive"),
        CheckConstraint(f"step_order IN ({sql_values(StepOrder)})", name="step_order_known"),
        CheckConstraint(f"validity_from IN ({sql_values(ValidityFrom)})", name="validity_from_known"),
    )

    @property
    def no_expiry(self):
        """Its certificates do not expire (their token says so too)."""
        return self.certificate_validity_months is None

    @property
    def announces_first(self):
        return self.step_order == StepOrder.ANNOUNCE_FIRST

    @property
    def leaf_criteria(self):
        """The criteria a juror scores: sub-criteria where a criterion has them."""
        parents = {c.parent_id for c in self.criteria if c.parent_id is not None}
        return [c for c in self.criteria if c.id not in parents]


#: Why a producer may not be "cơ sở sản xuất ở khu vực nông thôn" (voting.rules.eligibility.rural_flags), in the
#: order they are listed: its commune is a ward (phường, urban), or its address names an industrial zone or cluster.
RURAL_FLAGS = ("ward", "industrial_zone")
RURAL_FLAGS_SQL = "rural_flags IN ('', 'ward', 'industrial_zone', 'ward,industrial_zone')"


#: ``Application.commitments``: the wording version the producer ticked (voting.rules.commitments.VERSIONS has
#: the texts), or a marker where nobody asked: an application from before the registration form, or an entry a
#: lower round nominated. NULL while the producer has not submitted.
COMMITMENT_VERSIONS = ("tt26-2014-v1",)
COMMITMENTS_BEFORE_FORM = "before_form"
COMMITMENTS_NOMINATED = "nominated"
_COMMITMENT_VALUES = (*COMMITMENT_VERSIONS, COMMITMENTS_BEFORE_FORM, COMMITMENTS_NOMINATED)


class ApplicationStatus(StrEnum):
    """Hồ sơ đăng ký: draft → submitted → (returned → resubmitted)* → accepted | rejected; or withdrawn."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


#: An application in one of these may hold its product's dossier locked; an accepted one only
#: until its round has certified it (the rule: :func:`voting.rules.eligibility.holds_dossier`).
LOCKING_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RESUBMITTED, ApplicationStatus.ACCEPTED)
#: Awaiting the organiser's screening.
PENDING_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RESUBMITTED)


class Application(db.Model):
    """A product entered into a round; one per product per round."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    # Denormalised from the product so that permission filters need no join.
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.DRAFT, index=True)
    # Mã số bình chọn, given on acceptance, by group, unique in the round.
    entry_code: Mapped[str | None] = mapped_column(String(20))
    # The organiser's message when returning, or the reason when rejecting.
    organiser_message: Mapped[str] = mapped_column(Text, default="")
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The organiser's decision on a producer flagged as perhaps not rural (voting.rules.eligibility.rural_flags),
    # taken when accepting it: the flags as they stood (comma-separated codes) and why it counts as rural
    # industry all the same. Empty for an entry that raised no flag. Who and when: decided_by, decided_at.
    rural_flags: Mapped[str] = mapped_column(String(40), default="")
    rural_reason: Mapped[str] = mapped_column(Text, default="")
    # The commitments of the registration form (COMMITMENT_VERSIONS above) and when the producer gave them.
    commitments: Mapped[str | None] = mapped_column(String(20))
    commitments_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    round: Mapped[Round] = relationship(back_populates="applications")
    product: Mapped["Product"] = relationship()  # noqa: F821
    producer: Mapped["Producer"] = relationship()  # noqa: F821
    signed_registration_form: Mapped["SignedRegistrationForm | None"] = relationship(  # noqa: F821
        back_populates="application", passive_deletes=True)

    __table_args__ = (
        UniqueConstraint("round_id", "product_id"),
        UniqueConstraint("round_id", "entry_code"),
        CheckConstraint(f"status IN ({sql_values(ApplicationStatus)})", name="status_known"),
        CheckConstraint("(status = 'accepted') = (entry_code IS NOT NULL)", name="entry_code_when_accepted"),
        CheckConstraint(RURAL_FLAGS_SQL, name="rural_flags_known"),
        CheckConstraint("rural_flags = '' OR (status = 'accepted' AND rural_reason <> '')",
                        name="rural_decision_reasoned"),
        CheckConstraint(f"commitments IS NULL OR commitments IN ({sql_values(_COMMITMENT_VALUES)})",
                        name="commitments_known"),
        # Ticks given on the platform carry their moment; the markers carry none.
        CheckConstraint("(commitments_given_at IS NOT NULL) = (COALESCE(commitments, '') IN "
                        f"({sql_values(COMMITMENT_VERSIONS)}))", name="commitments_dated"),
        # Nothing goes before the organiser without its commitments (or a marker saying why there are none).
        CheckConstraint("status IN ('draft', 'withdrawn') OR commitments IS NOT NULL", name="commitments_when_submitted"),
        Index("ix_application_round_status", "round_id", "status"),
    )

    @property
    def rural_flag_list(self):
        """The recorded flags as a list of codes (see :attr:`rural_flags`)."""
        return self.rural_flags.split(",") if self.rural_flags else []


class NotificationKind(StrEnum):
    """What an inbox message is about: its text is rendered from this and its parameters."""

    APPLICATION_RETURNED = "application_returned"
    APPLICATION_REJECTED = "application_rejected"
    APPLICATION_ACCEPTED = "application_accepted"
    JURORS_SHORT = "jurors_short"
    SCORING_REMINDER = "scoring_reminder"
    RESULTS_PUBLISHED = "results_published"
    COMPLAINT_FILED = "complaint_filed"
    COMPLAINT_ANSWERED = "complaint_answered"
    JUSTIFICATION_REQUESTED = "justification_requested"
    NOMINATION_RECEIVED = "nomination_received"
    APPLICATION_NOMINATED = "application_nominated"
    NOMINATION_WITHDRAWN = "nomination_withdrawn"
    FAKE_REPORTED = "fake_reported"
    ACCOUNT_LOCKED = "account_locked"


class Notification(db.Model):
    """An in-app inbox message. Text is rendered from ``kind`` and ``params`` in the UI language."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[str] = mapped_column(Text, default="{}")
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped[Application | None] = relationship()
