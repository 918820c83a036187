"""The append-only, hash-chained audit log (nhật ký kiểm toán)."""
import hashlib
import json
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime

GENESIS_HASH = "0" * 64


class AuditEvent(db.Model):
    """Who did what, to which object, when and why.

    Each event carries the hash of its predecessor. ``prev_hash`` is unique,
    so two events can never claim the same predecessor: the chain cannot fork
    even if two writers race past the lock. Database triggers (created by the
    migration, see ``APPEND_ONLY_TRIGGERS``) refuse UPDATE and DELETE.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # A snapshot of who acted, kept even if the account later changes.
    actor_label: Mapped[str] = mapped_column(String(300), default="")
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(50), default="")
    object_id: Mapped[str] = mapped_column(String(50), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    actor: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint("seq > 0", name="seq_positive"),
        CheckConstraint("prev_hash <> hash", name="no_self_link"),
    )

    def canonical_payload(self):
        """Return the bytes the hash covers: every field but ``id`` and ``hash``."""
        payload = {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "reason": self.reason,
            "data": self.data,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self):
        return hashlib.sha256(self.canonical_payload()).hexdigest()

    @property
    def data_dict(self):
        return json.loads(self.data or "{}")


class AuditCheckpoint(db.Model):
    """The chain head as published: on each publication of results, on each commit of a
    security-relevant change (``voting.operations.audit.SECURITY_RELEVANT_ACTIONS``), daily, or on demand.

    Each is also appended to a file outside the database and shown on the public registry, so
    that rewriting history in the database — even recomputing every hash after the change — no
    longer matches what was published (``flask audit verify`` compares them). Append-only, like
    the chain.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(index=True)
    hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: "results_published", "security" (``detail``: the security-relevant actions committed), "daily"
    #: or "manual".
    reason: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (CheckConstraint("seq > 0", name="seq_positive"),)

    def line(self):
        """The line appended to the checkpoint file (and compared with the chain later)."""
        return f"{self.created_at.isoformat(timespec='seconds')} seq={self.seq} sha256={self.hash} {self.reason}"


#: DDL making ``audit_event`` append-only, per dialect. The migrations carry
#: their own frozen copies (0001; 0017 the statement-level TRUNCATE trigger,
#: PostgreSQL only: SQLite has no TRUNCATE, and its ``DELETE FROM`` without a
#: WHERE still fires the row triggers); tests compare against these.
APPEND_ONLY_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$",
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
        # Row triggers do not fire on TRUNCATE (nor on a TRUNCATE ... CASCADE from another table).
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
    ],
}

#: The same for ``audit_checkpoint`` (migrations 0013 and 0017).
CHECKPOINT_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint "
        "BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END",
        "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint "
        "BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_checkpoint_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_checkpoint is append-only'; END $$",
        "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE OR DELETE ON audit_checkpoint "
        "FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only()",
        "CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_append_only()",
    ],
}

#: Names of schema objects the ORM does not model; excluded from the
#: migrations-vs-models comparison and checked by their own tests.
UNMODELLED_OBJECTS = {"audit_event_no_update", "audit_event_no_delete", "audit_event_no_truncate",
                      "audit_event_append_only", "audit_checkpoint_no_update", "audit_checkpoint_no_delete",
                      "audit_checkpoint_no_truncate", "audit_checkpoint_append_only"}
#: The registry's full-text objects (migration 0011): SQLite's FTS5 table, its shadow tables and
#: the triggers that keep it in step; PostgreSQL's trigram index.
UNMODELLED_OBJECTS |= {"registry_entry_fts", "registry_entry_fts_data", "registry_entry_fts_idx",
                       "registry_entry_fts_docsize", "registry_entry_fts_config", "registry_entry_fts_ai",
                       "registry_entry_fts_ad", "registry_entry_fts_au", "ix_registry_entry_search_trgm"}
#: The word-prefix index (migration 0021b): SQLite's FTS5 table, its shadow tables and triggers;
#: PostgreSQL's generated ``tsvector`` column and its GIN index.
UNMODELLED_OBJECTS |= {"registry_entry_words", "registry_entry_words_data", "registry_entry_words_idx",
                       "registry_entry_words_docsize", "registry_entry_words_config", "registry_entry_words_ai",
                       "registry_entry_words_ad", "registry_entry_words_au", "search_words",
                       "ix_registry_entry_search_words"}
#: SQLite's generated column that tells the word index until which year a row is valid (migration 0024a).
UNMODELLED_OBJECTS |= {"validity_word"}
#: PostgreSQL's word index with each word's beginnings (migration 0025a), replacing ``search_words``.
UNMODELLED_OBJECTS |= {"search_prefixes", "name_prefixes", "ix_registry_entry_search_prefixes",
                       "ix_registry_entry_name_prefixes"}
