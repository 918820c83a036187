"""Background jobs: long work (issuing a round, re-issuing, bulk exports) recorded with its progress.

The row is the one place the job's state lives, whichever runner does the work (an RQ worker when
Redis is configured, a process the app starts otherwise): pages poll it, a dead job is noticed by
its silence, and the schema allows one queued or running job per kind and round.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow


class JobKind(StrEnum):
    ISSUE_ROUND = "issue_round"                  # sign, render and store a round's certificates
    REISSUE_ROUND = "reissue_round"              # re-issue those suspended because their key was compromised
    CERTIFICATES_ZIP = "certificates_zip"        # every certificate of the round, one ZIP
    CERTIFICATES_PDF = "certificates_pdf"        # every current certificate of the round, one PDF to print


class JobStatus(StrEnum):
    QUEUED = "queued"        # recorded, waiting for a runner
    RUNNING = "running"      # a runner took it and reports progress
    DONE = "done"
    FAILED = "failed"        # raised, or fell silent for too long


class JobRunner(StrEnum):
    RQ = "rq"                # a worker took it from Redis
    PROCESS = "process"      # the built-in runner: a fresh Python process per job


#: Kinds whose result is a file the organiser downloads.
EXPORT_KINDS = (JobKind.CERTIFICATES_ZIP, JobKind.CERTIFICATES_PDF)
ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class BackgroundJob(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: "rq" (a worker took it from Redis) or "process" (the built-in runner); empty until dispatched.
    runner: Mapped[str] = mapped_column(String(10), default="")
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    #: Where an export's file is kept (storage area "exports") and the name it downloads under.
    result_key: Mapped[str | None] = mapped_column(String(200))
    result_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Bumped with every progress report; a job silent for long is taken for dead.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    round = relationship("Round")

    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_known"),
        CheckConstraint("kind IN ('issue_round', 'reissue_round', 'certificates_zip', 'certificates_pdf')",
                        name="kind_known"),
        CheckConstraint("done >= 0 AND done <= total", name="progress_in_range"),
        CheckConstraint("result_key IS NULL OR status = 'done'", name="result_only_when_done"),
        # Two organisers pressing the same button at once get one job, not two (the loser is told).
        Index("uq_background_job_active", "kind", "round_id", unique=True,
              sqlite_where=text("status IN ('queued', 'running')"),
              postgresql_where=text("status IN ('queued', 'running')")),
    )

    @property
    def active(self):
        return self.status in ACTIVE_STATUSES
