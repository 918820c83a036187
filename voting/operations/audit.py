"""Writing and verifying the audit chain, and publishing its head (checkpoints)."""
import fcntl
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event as orm_event
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from voting.extensions import db
from voting.models.audit import GENESIS_HASH, AuditCheckpoint, AuditEvent
from voting.models.base import utcnow
from voting.models.user import User

# Any constant works; it only has to be the same for every writer.
_AUDIT_LOCK_KEY = 0x434E4E54  # "CNNT"

#: Audit actions that change who may do what, or what a certificate says. A transaction holding
#: any of them publishes one checkpoint when it commits (however many such events it holds),
#: covering the chain head at commit: deleting them afterwards, or anything before them, no longer
#: passes ``flask audit verify``. An action belongs when it starts with one of these; add new
#: security-relevant actions (or their prefix) here.
SECURITY_RELEVANT_ACTIONS = (
    "account.",  # creation, registration, role and scope changes, (de)activation, lockouts, password links and changes
    "signing_key.",  # registration, retirement, compromise
    "certificate.",  # issue, suspend, reinstate, revoke, correct (superseding the old one), re-issue, import
    "producer.attach_account",  # gives an account a producer's records
)


def is_security_relevant(action):
    return action.startswith(SECURITY_RELEVANT_ACTIONS)


def _lock_chain_head(session=None):
    """Serialise writers of the chain until the current transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: take the database's
    single write lock now, before the head is read, with a write statement that
    touches no row (it waits for other writers up to the busy timeout).
    On both, the unique ``prev_hash`` and ``seq`` are the backstop.
    """
    session = session or db.session
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})
    elif dialect == "sqlite":
        session.execute(text("DELETE FROM audit_event WHERE 0 = 1"))


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
    if is_security_relevant(action):  # published when the transaction commits: see _publish_on_commit
        db.session.info.setdefault(_UNPUBLISHED, set()).add(action)
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
_UNPUBLISHED = "cnnt_security_actions_unpublished"
_FILE_LOCK = "cnnt_checkpoint_file_lock"
_LINE = re.compile(r"seq=(\d+) sha256=([0-9a-f]{64})")


def publish_checkpoint(reason, detail=""):
    """Record the chain head as published, and return it (None while the chain is empty).

    Its line is appended to ``AUDIT_CHECKPOINT_FILE`` when the transaction commits, never for one
    that rolls back. Call it after the event it should cover: on publishing results, right after
    ``result.publish``; daily from ``flask audit checkpoint``. Security-relevant events need no
    call: their transaction publishes one as it commits.
    """
    return _publish(db.session, reason, detail)


def _publish(session, reason, detail):
    _lock_chain_head(session)
    head = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    session.info.pop(_UNPUBLISHED, None)  # this head covers every event of the transaction so far
    if head is None:
        return None
    checkpoint = AuditCheckpoint(seq=head.seq, hash=head.hash, created_at=utcnow(), reason=reason,
                                 detail=detail or "")
    session.add(checkpoint)
    session.flush()
    session.info.setdefault(_PENDING, []).append(checkpoint.line())
    return checkpoint


def checkpoint_file():
    configured = current_app.config.get("AUDIT_CHECKPOINT_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "audit-checkpoints.log"


def _lock_checkpoint_file():
    """Take the checkpoint file's lock (across processes and servers sharing the file); return it.

    A committing transaction holds it from just before its COMMIT until its lines are written, and
    a verification while it reads the rows and the file: it never sees a committed checkpoint whose
    line is not written yet, and lines never interleave. The lock is a file of its own beside the
    checkpoint file, so that taking it never creates an empty checkpoint file. None when the folder
    does not exist (nothing was ever written) or the lock cannot be had.
    """
    path = checkpoint_file()
    try:
        handle = os.open(path.with_name(path.name + ".lock"), os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as error:
        if path.parent.exists():
            current_app.logger.warning("could not lock the audit checkpoint file %s: %s", path, error)
        return None
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def _unlock_checkpoint_file(handle):
    if handle is not None:
        os.close(handle)  # which releases the lock


def _append_lines(lines, lock):
    path = checkpoint_file()
    try:
        if lock is None:  # the first line ever: the folder did not exist yet
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = _lock_checkpoint_file()
        data = memoryview("".join(line + "\n" for line in lines).encode())
        handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            while data:
                data = data[os.write(handle, data):]
            os.fsync(handle)
        finally:
            os.close(handle)
    except OSError as error:  # the row is committed; the file is a second copy (verify will say it lacks it)
        current_app.logger.error("could not append to the audit checkpoint file %s: %s", path, error)
    return lock


# A savepoint's commit and rollback fire these events too; only the outermost transaction counts.

@orm_event.listens_for(Session, "before_commit")
def _publish_on_commit(session):
    """Publish one checkpoint for a transaction holding security-relevant events, then lock the file."""
    if session.in_nested_transaction() or not has_app_context():
        return
    actions = session.info.get(_UNPUBLISHED)
    if actions:
        _publish(session, "security", ", ".join(sorted(actions)))
    if session.info.get(_PENDING) and _FILE_LOCK not in session.info:
        session.info[_FILE_LOCK] = _lock_checkpoint_file()


@orm_event.listens_for(Session, "after_commit")
def _write_checkpoint_lines(session):
    if session.in_nested_transaction():
        return
    lines, lock = session.info.pop(_PENDING, None), session.info.pop(_FILE_LOCK, None)
    try:
        if lines and has_app_context():
            lock = _append_lines(lines, lock)
    finally:
        _unlock_checkpoint_file(lock)


@orm_event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session):
    if not session.in_nested_transaction():  # also when the final flush of a commit fails
        _forget_checkpoint_lines(session)


@orm_event.listens_for(Session, "after_transaction_end")
def _forget_on_end(session, transaction):
    if transaction.parent is None:  # closed without a commit (after one, nothing is left)
        _forget_checkpoint_lines(session)


def _forget_checkpoint_lines(session):
    session.info.pop(_PENDING, None)
    session.info.pop(_UNPUBLISHED, None)
    _unlock_checkpoint_file(session.info.pop(_FILE_LOCK, None))


def copy_checkpoint_file(target):
    """Copy the checkpoint file to ``target`` with no line half-appended; False when there is none."""
    path = checkpoint_file()
    lock = _lock_checkpoint_file()
    try:
        if not path.is_file():
            return False
        shutil.copyfile(path, target)
        return True
    finally:
        _unlock_checkpoint_file(lock)


def latest_checkpoint():
    return db.session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))


def verify_checkpoints(lines=None):
    """Every way the chain and the checkpoint file no longer match what was published
    (:class:`CheckpointProblem`; none: they match).

    - Every checkpoint in the database, and every line of the checkpoint file (``lines``; read
      from ``AUDIT_CHECKPOINT_FILE`` when None), names an event of the chain with that very hash:
      a history rewritten after publication, hashes recomputed and all, fails; so does a chain
      whose last events were deleted (it no longer reaches a published head).
    - The database and the file hold the same checkpoints: a file truncated, emptied or deleted
      fails, and so do checkpoint rows deleted.
    - A new installation (no account yet) has published nothing and has no file. Creating an
      account publishes a checkpoint, so accounts with no checkpoint anywhere (an audit log emptied
      along with its file) fail.
    """
    path = checkpoint_file()
    lock = _lock_checkpoint_file()  # no checkpoint commits between reading the rows and the file
    try:
        if lines is None and path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
        rows = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
        published = [(f"checkpoint #{c.id}", c.seq, c.hash) for c in rows]
        for number, line in enumerate(lines or [], 1):
            match = _LINE.search(line)
            if match:
                published.append((f"line {number} of the checkpoint file", int(match.group(1)), match.group(2)))
        hashes = _event_hashes({seq for _, seq, _ in published})
        problems = _file_problems(path, rows, lines, len(published) - len(rows))
    finally:
        _unlock_checkpoint_file(lock)
    last = db.session.scalar(select(func.max(AuditEvent.seq))) or 0
    return [CheckpointProblem("deleted" if seq not in hashes else "rewritten", where, seq, published_hash, last)
            for where, seq, published_hash in published if hashes.get(seq) != published_hash] + problems


def _event_hashes(seqs, chunk=500):
    seqs, found = sorted(seqs), {}
    for start in range(0, len(seqs), chunk):  # bounded IN lists: a long history has many checkpoints
        found.update(db.session.execute(select(AuditEvent.seq, AuditEvent.hash)
                                        .where(AuditEvent.seq.in_(seqs[start:start + chunk]))).all())
    return found


def _file_problems(path, rows, lines, lines_published):
    if not lines_published:
        if rows:
            return [CheckpointProblem("file_empty" if lines is not None else "file_missing", str(path),
                                      count=len(rows))]
        accounts = db.session.scalar(select(func.count(User.id)))
        return [CheckpointProblem("unpublished", str(path), count=accounts)] if accounts else []
    in_file = {line.strip() for line in lines}
    in_database = {c.line() for c in rows}
    problems = [CheckpointProblem("not_in_file", f"checkpoint #{c.id}", c.seq, c.hash)
                for c in rows if c.line() not in in_file]
    problems += [CheckpointProblem("not_in_database", f"line {number} of the checkpoint file",
                                   int(match.group(1)), match.group(2))
                 for number, line in enumerate(lines, 1)
                 if (match := _LINE.search(line)) and line.strip() not in in_database]
    return problems


@dataclass(frozen=True)
class CheckpointProblem:
    """A way the chain or the checkpoint file no longer matches what was published.

    ``str()`` says so in English (CLI, logs); the log page translates ``kind``.
    """

    #: "rewritten": the event no longer has the published hash; "deleted": the chain no longer
    #: reaches the published event; "not_in_file" / "not_in_database": a checkpoint in one copy
    #: only; "file_missing" / "file_empty": the file lost every checkpoint; "unpublished": no
    #: checkpoint anywhere although accounts exist.
    kind: str
    #: Which checkpoint or line; the file's path for the file-wide kinds.
    where: str
    seq: int = 0
    published_hash: str = ""
    #: "deleted": the chain's last event; "file_*": checkpoints in the database; "unpublished": accounts.
    count: int = 0

    def __str__(self):
        return {
            "rewritten": f"{self.where}: event #{self.seq} no longer has the published hash {self.published_hash[:16]}…",
            "deleted": f"{self.where}: event #{self.seq} is missing from the chain"
                       + (f", which ends at event #{self.count} (events after it were deleted)"
                          if self.seq > self.count else ""),
            "not_in_file": f"{self.where} (event #{self.seq}) is not in the checkpoint file (truncated or edited?)",
            "not_in_database": f"{self.where} (event #{self.seq}) is not among the database's checkpoints "
                               "(checkpoint rows deleted?)",
            "file_missing": f"the checkpoint file {self.where} is missing, but the database holds "
                            f"{self.count} published checkpoint(s)",
            "file_empty": f"the checkpoint file {self.where} holds no checkpoint, but the database holds "
                          f"{self.count} published checkpoint(s)",
            "unpublished": f"no checkpoint was ever published (none in the database, none in {self.where}), "
                           f"but the database holds {self.count} account(s), and creating one publishes one: "
                           "the audit log and its file were emptied. (An installation upgraded from before "
                           "checkpoints on each security-relevant change: run `flask audit checkpoint` once.)",
        }[self.kind]
