"""Writing and verifying the audit chain."""
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event as orm_event
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from voting.extensions import db
from voting.models.audit import GENESIS_HASH, AuditCheckpoint, AuditEvent
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


# Published checkpoints ---------------------------------------------------------------------------

_PENDING = "cnnt_checkpoints_to_write"
_LINE = re.compile(r"seq=(\d+) sha256=([0-9a-f]{64})")


def publish_checkpoint(reason, detail=""):
    """Record the chain head as published, and return it (None while the chain is empty).

    Its line is appended to ``AUDIT_CHECKPOINT_FILE`` when the transaction commits, never for one
    that rolls back. Call it after the event it should cover: on publishing results, right after
    ``result.publish``; daily from ``flask audit checkpoint``.
    """
    _lock_chain_head()
    head = db.session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    if head is None:
        return None
    checkpoint = AuditCheckpoint(seq=head.seq, hash=head.hash, created_at=utcnow(), reason=reason,
                                 detail=detail or "")
    db.session.add(checkpoint)
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append(checkpoint.line())
    return checkpoint


def checkpoint_file():
    configured = current_app.config.get("AUDIT_CHECKPOINT_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "audit-checkpoints.log"


@orm_event.listens_for(Session, "after_commit")
def _write_checkpoint_lines(session):
    lines = session.info.pop(_PENDING, None)
    if not lines or not has_app_context():
        return
    path = checkpoint_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:  # the row is committed; the file is a second copy
        current_app.logger.error("could not append to the audit checkpoint file %s: %s", path, error)


@orm_event.listens_for(Session, "after_soft_rollback")
def _forget_checkpoint_lines(session, previous_transaction):
    session.info.pop(_PENDING, None)


def latest_checkpoint():
    return db.session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))


def verify_checkpoints(lines=None):
    """The published checkpoints the chain no longer matches (:class:`CheckpointMismatch`).

    Every checkpoint in the database, and every line of the checkpoint file (``lines``; read from
    ``AUDIT_CHECKPOINT_FILE`` when None, nothing when it does not exist), must name an event of
    the chain with that very hash. A history rewritten after publication, hashes recomputed and
    all, fails here.
    """
    if lines is None:
        path = checkpoint_file()
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    published = [(f"checkpoint #{c.id}", c.seq, c.hash) for c in db.session.scalars(select(AuditCheckpoint))]
    for number, line in enumerate(lines, 1):
        match = _LINE.search(line)
        if match:
            published.append((f"line {number} of the checkpoint file", int(match.group(1)), match.group(2)))
    seqs = {seq for _, seq, _ in published}
    hashes = dict(db.session.execute(select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.seq.in_(seqs))).all())
    return [CheckpointMismatch(where, seq, published_hash, seq not in hashes)
            for where, seq, published_hash in published if hashes.get(seq) != published_hash]


@dataclass(frozen=True)
class CheckpointMismatch:
    """A published checkpoint the chain no longer matches; ``str()`` says so in English (CLI, logs)."""

    where: str
    seq: int
    published_hash: str
    missing: bool

    def __str__(self):
        if self.missing:
            return f"{self.where}: event #{self.seq} is missing from the chain"
        return f"{self.where}: event #{self.seq} no longer has the published hash {self.published_hash[:16]}…"
