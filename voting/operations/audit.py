"""Writing and verifying the audit chain."""
import json
from dataclasses import dataclass

from sqlalchemy import select, text

from voting.extensions import db
from voting.models.audit import GENESIS_HASH, AuditEvent
from voting.models.base import utcnow

# Any constant works; it only has to be the same for every writer.
_AUDIT_LOCK_KEY = 0x434E4E54  # "CNNT"


def _lock_chain_head():
    """Serialise writers of the chain until the current transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: take the database's
    single write lock now, before the head is read, with a write statement that
    touches no row (it waits for other writers up to the busy timeout).
    On both, the unique ``prev_hash`` and ``seq`` are the backstop.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})
    elif dialect == "sqlite":
        db.session.execute(text("DELETE FROM audit_event WHERE 0 = 1"))


def record_event(actor, action, target=None, *, object_type="", object_id="", reason="", data=None):
    """Append one event to the audit log and return it.

    :param actor: the acting :class:`User`, or None for the system itself.
    :param target: a model instance; its table name and id fill the object fields.
    """
    if target is not None:
        db.session.flush()  # so a just-created target has its id
        object_type = object_type or target.__tablename__
        object_id = object_id or str(target.id)
    _lock_chain_head()
    head = db.session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    event = AuditEvent(
        seq=(head.seq + 1) if head else 1,
        created_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_label=(actor.email if actor is not None else "system"),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        reason=reason or "",
        data=json.dumps(data or {}, ensure_ascii=False, sort_keys=True, default=str),
        prev_hash=head.hash if head else GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    db.session.add(event)
    db.session.flush()
    return event


@dataclass
class ChainReport:
    checked: int
    broken_seq: int | None = None
    #: "gap", "link" or "altered"; the UI translates it, ``problem`` is for logs and the CLI.
    kind: str = ""
    problem: str = ""
    head_hash: str = GENESIS_HASH

    @property
    def ok(self):
        return self.broken_seq is None


def verify_chain(batch_size=1000):
    """Walk the chain in order and report the first broken link, if any."""
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    rows = db.session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size)
    ).scalars()
    for event in rows:
        if event.seq != expected_seq:
            return ChainReport(checked, event.seq, "gap", f"sequence gap: expected {expected_seq}", expected_prev)
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.seq, "link", "prev_hash does not match the previous event",
                               expected_prev)
        if event.compute_hash() != event.hash:
            return ChainReport(checked, event.seq, "altered", "content does not match its hash (altered)",
                               expected_prev)
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    return ChainReport(checked, head_hash=expected_prev)
