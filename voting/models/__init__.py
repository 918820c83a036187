"""The selection's models, imported here so that Alembic and the app see one metadata.

The certificates' tables (certificates, signing keys, the registry, scans, reports of fakes, paper
certificates) belong to :mod:`certificates.models`, which ``certificates.init_app`` puts on the same
metadata. Models here name them only by string (a relationship, a foreign key), never by import.
"""
from voting.models.audit import AuditCheckpoint, AuditEvent
from voting.models.authority import IssuingAuthority
from voting.models.council import (
    COUNCIL_ROLE_ORDER,
    Conflict,
    Council,
    CouncilMember,
    CouncilRole,
    Juror,
    JurorGroup,
    RoundCriterion,
    Score,
    ScoreSheet,
    SheetStatus,
    SupportMember,
)
from voting.models.job import ACTIVE_STATUSES, EXPORT_KINDS, BackgroundJob, JobKind, JobRunner, JobStatus
from voting.models.jurisdiction import JurisdictionLevel
from voting.models.nomination import Nomination
from voting.models.producer import DOCUMENT_TYPES, FileKind, Producer, Product, ProductFile, ProductSetItem
from voting.models.reference import (
    Commune,
    FormerProvince,
    Level,
    ProducerType,
    ProductGroup,
    Province,
    Region,
    ScoringCriterionTemplate,
    ScoringSheetTemplate,
)
from voting.models.registration_form import SignedRegistrationForm
from voting.models.signed_document import SignedDocument, SignedKind, SignedOrigin
from voting.models.signer import SignerCapacity
from voting.models.results import (
    Complaint, ComplaintStatus, Decision, DecisionEntry, DecisionTally, MeetingAttendance, PrizeTier, Strike,
)
from voting.models.round import (
    LOCKING_STATUSES,
    PENDING_STATUSES,
    Application,
    ApplicationStatus,
    Notification,
    NotificationKind,
    Round,
    RoundStatus,
    StepOrder,
    ValidityFrom,
)
from voting.models.session import LoginFailure, UserSession
from voting.models.user import PasswordResetToken, PendingRegistration, Role, User

__all__ = [
    "DOCUMENT_TYPES", "LOCKING_STATUSES", "PENDING_STATUSES", "Application", "ApplicationStatus",
    "AuditEvent", "AuditCheckpoint", "Commune", "FormerProvince", "IssuingAuthority", "JurisdictionLevel", "Level",
    "Notification", "NotificationKind", "PasswordResetToken", "Producer", "ProducerType", "Product", "ProductFile",
    "SignerCapacity", "SignedDocument", "SignedKind", "SignedOrigin", "SignedRegistrationForm",
    "ProductGroup", "ProductSetItem", "Province", "Region", "Role", "Round", "RoundStatus", "StepOrder",
    "ValidityFrom",
    "ScoringCriterionTemplate", "ScoringSheetTemplate", "User", "COUNCIL_ROLE_ORDER", "Conflict", "Council", "CouncilMember", "SupportMember", "CouncilRole",
    "Juror", "JurorGroup", "RoundCriterion", "Score", "ScoreSheet", "SheetStatus",
    "Complaint", "ComplaintStatus", "Decision", "DecisionEntry", "DecisionTally", "MeetingAttendance", "PrizeTier", "Strike",
    "ACTIVE_STATUSES", "EXPORT_KINDS", "BackgroundJob", "JobKind", "JobRunner", "JobStatus", "FileKind",
    "Nomination",
    "LoginFailure", "PendingRegistration", "UserSession",
]
