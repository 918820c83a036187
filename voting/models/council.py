"""Councils, juries, conflicts of interest and score sheets, per round."""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, sql_values, utcnow
from voting.models.signer import SignerColumns

#: Characters of guidance a criterion may carry: a paragraph or two a juror reads beside the points.
GUIDANCE_MAX = 1000


class RoundCriterion(db.Model):
    """A row of the round's own scoring sheet, copied from the official one and refinable.

    Sub-criteria (``parent_id`` set) carry their own maxima, which add up to
    their parent's; jurors score the leaves. ``guidance`` tells jurors what to look at and how to grade
    (empty: none given; the official sheet has no such text).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("round_criterion.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(300))
    max_points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    position: Mapped[int] = mapped_column(default=0)
    guidance: Mapped[str] = mapped_column(Text, default="")

    round: Mapped["Round"] = relationship(back_populates="criteria")  # noqa: F821

    __table_args__ = (
        UniqueConstraint("round_id", "code"),
        CheckConstraint("max_points > 0", name="max_points_positive"),
        CheckConstraint(f"length(guidance) <= {GUIDANCE_MAX}", name="guidance_length"),
    )


#: The source of a conflict the juror declared themself (any other source names a detection rule).
DECLARED = "declared"


class CouncilRole(StrEnum):
    """A seat on the Hội đồng bình chọn, as the founding decision lists it (in that order)."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    STANDING_MEMBER = "standing_member"
    MEMBER = "member"
    SECRETARY = "secretary"


#: The order in which a founding decision, the minutes and the pages list the council.
COUNCIL_ROLE_ORDER = tuple(CouncilRole)


def _one_per_round(name, where):
    """A partial unique index: at most one row per round with ``where`` (one chair, one Trưởng ban)."""
    return Index(name, "round_id", unique=True, sqlite_where=text(where), postgresql_where=text(where))


class Council(SignerColumns, db.Model):
    """The round's Hội đồng bình chọn as founded: the founding decision and the jury's appointment.

    The authority (UBND tỉnh for a province) founds the council by a numbered decision, signed as
    ``SignerColumns`` record; the council then appoints the Ban Giám khảo and the tổ giúp việc by a
    numbered document of its own, signed by its chair.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), unique=True)
    founding_number: Mapped[str | None] = mapped_column(String(60))
    founded_on: Mapped[date | None]
    #: The signed founding decision as scanned (a stored upload, checked by content).
    founding_scan_storage_name: Mapped[str | None] = mapped_column(String(80))
    jury_document_number: Mapped[str | None] = mapped_column(String(60))
    jury_appointed_on: Mapped[date | None]

    round: Mapped["Round"] = relationship(back_populates="council")  # noqa: F821

    __table_args__ = (
        *SignerColumns.signer_checks(),
        CheckConstraint("(founding_number IS NULL) = (founded_on IS NULL)", name="founding_number_with_date"),
        CheckConstraint("(jury_document_number IS NULL) = (jury_appointed_on IS NULL)", name="jury_number_with_date"),
    )

    @property
    def is_founded(self):
        return self.founding_number is not None


class CouncilMember(db.Model):
    """Thành viên Hội đồng bình chọn, for one round: a person named in the founding decision.

    Most members never sign in: ``user_id`` links an account only for those who act on the platform
    (the chair or the secretary recording the council's acts).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    #: Chức vụ ("Phó Chủ tịch UBND tỉnh") and cơ quan ("Sở Công Thương"), as the decision prints them.
    position: Mapped[str] = mapped_column(String(200), default="")
    agency: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))

    round: Mapped["Round"] = relationship(back_populates="council_members")  # noqa: F821
    user: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        CheckConstraint(f"role IN ({sql_values(CouncilRole)})", name="role_known"),
        CheckConstraint("length(full_name) > 0", name="named"),
        _one_per_round("ix_council_member_one_chair", "role = 'chair'"),
    )


class SupportMember(db.Model):
    """Tổ giúp việc: appointed by the council with the jury; one may lead it (tổ trưởng).

    A member with a linked account types in the jurors' paper sheets, as the council's secretary may.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    agency: Mapped[str] = mapped_column(String(200), default="")
    is_lead: Mapped[bool] = mapped_column(default=False)

    round: Mapped["Round"] = relationship(back_populates="support_members")  # noqa: F821
    user: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        CheckConstraint("length(full_name) > 0", name="named"),
        _one_per_round("ix_support_member_one_lead", "is_lead"),
    )


class Juror(db.Model):
    """Thành viên Ban Giám khảo, for one round: scores all entries or some product groups.

    Jurors score on the platform, so each has an account. The Trưởng Ban Giám khảo (``is_head``)
    holds the jury's housekeeping: dismissing false conflict flags, reopening sheets, chasing late ones.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    all_groups: Mapped[bool] = mapped_column(default=True)
    is_head: Mapped[bool] = mapped_column(default=False)
    position: Mapped[str] = mapped_column(String(200), default="")
    agency: Mapped[str] = mapped_column(String(200), default="")

    round: Mapped["Round"] = relationship(back_populates="jurors")  # noqa: F821
    user: Mapped["User"] = relationship()  # noqa: F821
    groups: Mapped[list["JurorGroup"]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        _one_per_round("ix_juror_one_head", "is_head"),
    )

    def covers_group(self, group_code):
        return self.all_groups or any(g.group_code == group_code for g in self.groups)


class JurorGroup(db.Model):
    """A product group a juror scores when not assigned to all entries."""

    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("juror.id", ondelete="CASCADE"), index=True)
    group_code: Mapped[str] = mapped_column(ForeignKey("product_group.code"))

    __table_args__ = (UniqueConstraint("juror_id", "group_code"),)


class Conflict(db.Model):
    """A conflict of interest between a juror and a producer in a round: declared or detected.

    An active conflict keeps the juror off every entry of that producer; the
    chair may dismiss a detected one as a false flag, with a reason.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    juror_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    #: :data:`DECLARED` by the juror, or the name of the detection rule that flagged it.
    source: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    dismissed_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    producer: Mapped["Producer"] = relationship()  # noqa: F821
    juror_user: Mapped["User"] = relationship(foreign_keys=[juror_user_id])  # noqa: F821

    __table_args__ = (
        UniqueConstraint("round_id", "juror_user_id", "producer_id", "source"),
        CheckConstraint("source IN ('declared', 'same_person', 'same_contact', 'same_registration', "
                        "'same_organisation')", name="source_known"),
        CheckConstraint("active OR source <> 'declared'", name="declared_not_dismissed"),
    )


class SheetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ScoreSheet(db.Model):
    """Phiếu chấm điểm: one juror's scores for one entry at one stage."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    juror_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    stage: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=SheetStatus.DRAFT)
    comment: Mapped[str] = mapped_column(Text, default="")
    # Bumped on every change: a submit names the version it saw, so of two
    # simultaneous submissions exactly one wins.
    version: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A paper sheet typed in by the secretary: who entered it, and the scan.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    scan_storage_name: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # A sheet far from the others: the chair asks the juror why, and the answer stays with the sheet.
    justification_request: Mapped[str] = mapped_column(Text, default="")
    justification_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    justification_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    justification: Mapped[str] = mapped_column(Text, default="")
    justified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped["Application"] = relationship()  # noqa: F821
    juror_user: Mapped["User"] = relationship(foreign_keys=[juror_user_id])  # noqa: F821
    entered_by: Mapped["User | None"] = relationship(foreign_keys=[entered_by_id])  # noqa: F821
    scores: Mapped[list["Score"]] = relationship(back_populates="sheet", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("application_id", "juror_user_id", "stage"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status_known"),
        CheckConstraint("stage IN (1, 2)", name="stage_known"),
        CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_when"),
        CheckConstraint("justified_at IS NULL OR justification_requested_at IS NOT NULL", name="justified_when_asked"),
    )

    @property
    def total(self):
        return sum((s.points for s in self.scores if s.points is not None), Decimal("0"))


class Score(db.Model):
    """The points for one criterion on one sheet, with the juror's note."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheet.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("round_criterion.id"))
    points: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    note: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[RoundCriterion] = relationship()

    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id"),
        CheckConstraint("points IS NULL OR points >= 0", name="points_not_negative"),
    )
