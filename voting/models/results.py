"""Deliberation and results: struck entries, prize tiers, the council's vote and decision, complaints.

Scores themselves are never stored here: results are computed from the
submitted sheets (:mod:`voting.rules.results`). A decision keeps a snapshot of the
certified list as it was voted, so that later changes go through a new
decision instead of rewriting an old one.
"""
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow
from voting.models.signer import SignerColumns


class Strike(db.Model):
    """The council strikes a passing entry from the proposed list, with its reason."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    struck_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    struck_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped["Application"] = relationship()  # noqa: F821
    struck_by: Mapped["User"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("round_id", "application_id"),
        CheckConstraint("length(reason) > 0", name="reason_given"),
    )


class PrizeTier(db.Model):
    """Giải thưởng địa phương: a tier given by rank (the next ``places`` entries) or by score band.

    Tiers are taken in ``position`` order: by rank, tier 1 takes the first
    ``places`` certified entries, tier 2 the next ones; by score, an entry gets
    the first tier whose ``min_score`` it reaches.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    places: Mapped[int | None]
    min_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))

    __table_args__ = (
        UniqueConstraint("round_id", "position"),
        UniqueConstraint("round_id", "name"),
        CheckConstraint("(places IS NULL) <> (min_score IS NULL)", name="rank_or_band"),
        CheckConstraint("places IS NULL OR places >= 1", name="places_positive"),
        CheckConstraint("min_score IS NULL OR min_score >= 0", name="min_score_positive"),
    )


class Decision(SignerColumns, db.Model):
    """The council's vote on the proposed list and the authority's decision that follows.

    ``sequence`` 1 is the round's decision; a complaint that changes the
    result leads to an amending decision with the next sequence number.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(default=1)
    # The council's meeting and vote.
    meeting_on: Mapped[date]
    meeting_place: Mapped[str] = mapped_column(String(200), default="")
    # The minutes (biên bản): their number and the meeting's hours; None on votes recorded before these.
    minutes_number: Mapped[str | None] = mapped_column(String(60))
    meeting_starts_at: Mapped[time | None]
    meeting_ends_at: Mapped[time | None]
    #: Counted from ``attendance`` when the members present were ticked (votes recorded before that: typed in).
    members_present: Mapped[int]
    votes_for: Mapped[int]
    votes_against: Mapped[int]
    votes_abstain: Mapped[int]
    carried: Mapped[bool]
    minutes_note: Mapped[str] = mapped_column(Text, default="")
    #: JSON: the results as they stood at the vote (counts, the proposed list, the struck entries
    #: with their reasons), so that the minutes of an old vote never show later changes.
    snapshot: Mapped[str] = mapped_column(Text, default="{}")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The authority's decision (quyết định), recorded once the vote has carried.
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_on: Mapped[date | None]
    #: The legal bases the decision cites, one a line ("Căn cứ …;", "Xét đề nghị …"), as the organiser recorded
    #: them with the decision (the form offers the level's usual ones); empty: the level's usual ones.
    legal_bases: Mapped[str] = mapped_column(Text, default="")
    # The signer (SignerColumns): set with the decision.
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    complaints_close_on: Mapped[date | None]

    round: Mapped["Round"] = relationship()  # noqa: F821
    entries: Mapped[list["DecisionEntry"]] = relationship(
        back_populates="decision", order_by="DecisionEntry.rank", cascade="all, delete-orphan")
    attendance: Mapped[list["MeetingAttendance"]] = relationship(
        back_populates="decision", order_by="MeetingAttendance.id", cascade="all, delete-orphan")
    tallies: Mapped[list["DecisionTally"]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("round_id", "sequence"),
        *SignerColumns.signer_checks(),
        CheckConstraint("members_present >= 0 AND votes_for >= 0 AND votes_against >= 0 AND votes_abstain >= 0",
                        name="counts_not_negative"),
        CheckConstraint("votes_for + votes_against + votes_abstain <= members_present", name="votes_of_present"),
        CheckConstraint("decision_number IS NULL OR carried", name="decided_when_carried"),
        CheckConstraint("(decision_number IS NULL) = (decision_on IS NULL)", name="number_with_date"),
        CheckConstraint("meeting_ends_at IS NULL OR meeting_starts_at IS NULL OR meeting_ends_at >= meeting_starts_at",
                        name="meeting_ends_after_start"),
        # Announced before the decision (the rules' order) or after it: only a carried vote is published.
        CheckConstraint("published_at IS NULL OR carried", name="published_when_carried"),
    )

    @property
    def is_decided(self):
        return self.decision_number is not None


class MeetingAttendance(db.Model):
    """One council member at the meeting that voted: present or absent, as the minutes mark them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_member.id"), index=True)
    present: Mapped[bool]

    decision: Mapped[Decision] = relationship(back_populates="attendance")
    member: Mapped["CouncilMember"] = relationship()  # noqa: F821

    __table_args__ = (UniqueConstraint("decision_id", "member_id"),)


class DecisionEntry(db.Model):
    """One certified entry as the decision lists it: its rank, final score and prize, and its names.

    The names are those of the product, the producer, its province and the product's group as
    they stood at the council's vote (:mod:`voting.rules.entry_names`): a producer may rename its
    product or itself, or move, after the decision, and what an official list printed must not
    change with it. An amending decision freezes its own copy at its own vote.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    rank: Mapped[int]
    # The final score as shown and decided: rounded half-up to 2 places once, from the exact
    # value (rounding a 4-place copy again could turn 83.3349… into 83.34).
    score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    prize: Mapped[str] = mapped_column(String(100), default="")
    # As listed at the vote (the lengths of the columns they are copied from).
    entry_code: Mapped[str] = mapped_column(String(20))
    product_name: Mapped[str] = mapped_column(String(300))
    producer_name: Mapped[str] = mapped_column(String(300))
    province_name: Mapped[str] = mapped_column(String(100))
    group_code: Mapped[str] = mapped_column(String(10))
    group_name: Mapped[str] = mapped_column(String(200))
    #: The producer's public address at the vote (commune and province; the street with consent);
    #: empty on lists voted before addresses were listed.
    address: Mapped[str] = mapped_column(String(510), default="")

    decision: Mapped[Decision] = relationship(back_populates="entries")
    application: Mapped["Application"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("decision_id", "application_id"),
        UniqueConstraint("decision_id", "rank"),
        CheckConstraint("rank >= 1", name="rank_positive"),
        # An entry's places on decided lists, read from the index alone (the report's path upward; 0022c).
        Index("ix_decision_entry_application_decision", "application_id", "decision_id"),
    )


class DecisionTally(db.Model):
    """A vote's counts for one product group, producer's province and producer type, as they stood at the vote.

    Written with the vote (:func:`voting.rules.tally.tally_rows`) so that the summary report adds up a few
    rows per round instead of joining every entry: ``entries`` the round's accepted entries, ``passed``
    those at or above the pass mark (NULL: not recorded, on votes taken before tallies were kept),
    ``certified`` those on the decision's list and ``score_sum`` the sum of their decided scores.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"), index=True)
    group_code: Mapped[str] = mapped_column(ForeignKey("product_group.code"))
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"))
    producer_type: Mapped[str] = mapped_column(ForeignKey("producer_type.code"))
    entries: Mapped[int]
    passed: Mapped[int | None]
    certified: Mapped[int]
    score_sum: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    __table_args__ = (
        UniqueConstraint("decision_id", "group_code", "province_id", "producer_type", name="uq_decision_tally_key"),
        # A row exists for a combination that had entries; the certified passed, and passing entries are entries.
        CheckConstraint("entries >= 1", name="entries_positive"),
        CheckConstraint("certified >= 0 AND certified <= entries", name="certified_of_entries"),
        CheckConstraint("passed IS NULL OR (passed >= certified AND passed <= entries)", name="passed_of_entries"),
        CheckConstraint("score_sum >= 0 AND (certified > 0 OR score_sum = 0)", name="score_sum_of_certified"),
    )


class ComplaintStatus(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    UPHELD = "upheld"


class Complaint(db.Model):
    """Khiếu nại: a producer contests their entry's result; the council answers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=ComplaintStatus.OPEN)
    answer: Mapped[str] = mapped_column(Text, default="")
    #: An upheld complaint that changes the result sends the round back to deliberation.
    changes_result: Mapped[bool] = mapped_column(default=False)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped["Application"] = relationship()  # noqa: F821
    filed_by: Mapped["User"] = relationship(foreign_keys=[filed_by_id])  # noqa: F821

    __table_args__ = (
        CheckConstraint("status IN ('open', 'dismissed', 'upheld')", name="status_known"),
        CheckConstraint("length(text) > 0", name="text_given"),
        CheckConstraint("(status = 'open') = (answered_at IS NULL)", name="answered_when_closed"),
        CheckConstraint("status = 'upheld' OR NOT changes_result", name="change_when_upheld"),
    )
