"""The administrator's audit log page: the events in words, filtered by kind, actor, object and day."""
from datetime import datetime, time, timedelta

from flask import render_template, request
from sqlalchemy import select

from voting.core.access import admin_required
from voting.core.clock import VIETNAM
from voting.core.numbers import query_page
from voting.extensions import db
from voting.models import AuditEvent
from voting.operations.audit import latest_checkpoint, verify_chain, verify_checkpoints
from voting.core.audit_words import KINDS, OBJECTS

PAGE_SIZE = 50
#: How the log names the platform acting on its own (a job, a command); the page says "hệ thống".
SYSTEM = "system"


def _day(name):
    """The ``name`` query parameter as a date (YYYY-MM-DD, what a date field sends), or None."""
    try:
        return datetime.strptime(request.args.get(name, "")[:10], "%Y-%m-%d").date()
    except ValueError:
        return None


def _vietnam_midnight(day):
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def _filters():
    args = request.args
    return {
        "kind": args.get("kind", "") if args.get("kind", "") in KINDS else "",
        # Codes still work (a link kept from before the words, or a tool's export).
        "action": args.get("action", "").strip()[:80],
        "actor": args.get("actor", "").strip()[:254],
        "object": args.get("object", "") if args.get("object", "") in OBJECTS else "",
        "object_id": args.get("object_id", "").strip()[:40],
        "since": _day("since"),
        "until": _day("until"),
    }


@admin_required
def audit():
    filters = _filters()
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if filters["kind"]:
        query = query.where(AuditEvent.action.startswith(filters["kind"] + ".", autoescape=True))
    if filters["action"]:
        query = query.where(AuditEvent.action.startswith(filters["action"], autoescape=True))
    if filters["actor"]:
        actor = filters["actor"].lower()
        query = query.where(AuditEvent.actor_label == SYSTEM if actor in ("hệ thống", "he thong", "system")
                            else AuditEvent.actor_label.contains(actor, autoescape=True))
    if filters["object"]:
        query = query.where(AuditEvent.object_type == filters["object"])
    if filters["object_id"]:
        query = query.where(AuditEvent.object_id == filters["object_id"])
    # Days are Vietnam's: from its midnight to the next.
    if filters["since"]:
        query = query.where(AuditEvent.created_at >= _vietnam_midnight(filters["since"]))
    if filters["until"]:
        query = query.where(AuditEvent.created_at < _vietnam_midnight(filters["until"] + timedelta(days=1)))
    page = db.paginate(query, page=query_page(), per_page=PAGE_SIZE, error_out=False)
    report = verify_chain() if request.args.get("verify") == "1" else None
    mismatches = verify_checkpoints() if report is not None and report.ok else []
    kept = {key: (value.isoformat() if hasattr(value, "isoformat") else value)
            for key, value in filters.items() if value}
    return render_template("admin/audit.html", page=page, filters=filters, kept=kept, kinds=KINDS, objects=OBJECTS,
                           system=SYSTEM, report=report, mismatches=mismatches, checkpoint=latest_checkpoint())
