"""Councils and juries per round, and conflicts of interest.

Roles are per round: the chair of one round may be a juror in another, and
one person may sit on the council and score as a juror in the same round.
"""
from dataclasses import dataclass

from sqlalchemy import select

from voting.core.errors import DomainError, InvalidTransition
from voting.extensions import db
from voting.models import (
    NotificationKind,
    PENDING_STATUSES,
    Application,
    ApplicationStatus,
    Conflict,
    CouncilMember,
    CouncilRole,
    Juror,
    JurorGroup,
    Producer,
    Product,
    Role,
    RoundStatus,
    SupportMember,
)
from voting.models.council import DECLARED
from voting.operations.audit import record_event
from voting.rules.permissions import can_judge_round, can_lead_jury, can_manage_round
from voting.core.text import fold, nfc

#: Council and jury may change until deliberation starts.
EDITABLE_STATUSES = (RoundStatus.DRAFT, RoundStatus.REGISTRATION_OPEN, RoundStatus.SCREENING,
                     RoundStatus.SCORING, RoundStatus.FIELD_VISITS, RoundStatus.SECOND_SCORING)
#: Who may be put on a council or jury: staff accounts, never producers.
STAFF_ROLES = (Role.JUROR, Role.ORGANISER, Role.ADMIN)


def _require_editable(round_):
    if round_.status not in EDITABLE_STATUSES:
        raise InvalidTransition(status=round_.status)


def _require_staff(user):
    if user.role not in STAFF_ROLES or not user.active:
        raise DomainError("not_staff")


@dataclass(frozen=True)
class Person:
    """A person as an official document names them: name, position (chức vụ), agency (cơ quan)."""

    full_name: str
    position: str = ""
    agency: str = ""

    @classmethod
    def of_account(cls, user):
        return cls(user.full_name or user.email, user.title or "")

    def cleaned(self):
        person = Person(*(nfc(value or "").strip() for value in (self.full_name, self.position, self.agency)))
        if not person.full_name:
            raise DomainError("name_required")
        if max(len(value) for value in (person.full_name, person.position, person.agency)) > 200:
            raise DomainError("text_too_long", limit=200)
        return person


def seat_council_member(actor, round_, person, role, user=None, member=None):
    """Seat ``person`` on the round's council in ``role`` (or change ``member``'s seat and details).

    ``user`` links an account, for a member who acts on the platform (the chair or the secretary
    recording the council's acts); most members have none.
    """
    _require_editable(round_)
    person, role = person.cleaned(), CouncilRole(role)
    if user is not None:
        _require_staff(user)
        if any(m.user_id == user.id and m is not member for m in round_.council_members):
            raise DomainError("account_seated")
    if role == CouncilRole.CHAIR and any(m.role == CouncilRole.CHAIR and m is not member
                                         for m in round_.council_members):
        raise DomainError("chair_taken")
    if member is None:
        member = CouncilMember(round=round_)
        db.session.add(member)
    member.full_name, member.position, member.agency = person.full_name, person.position, person.agency
    member.role, member.user = role, user
    record_event(actor, "council.set_member", round_, data={
        "name": person.full_name, "role": str(role), "user_id": user.id if user else None})
    return member


def set_council_member(actor, round_, user, role):
    """Seat an account holder on the council under the name and title of their account."""
    member = next((m for m in round_.council_members if m.user_id == user.id), None)
    return seat_council_member(actor, round_, Person.of_account(user), role, user=user, member=member)


def remove_council_member(actor, member):
    _require_editable(member.round)
    record_event(actor, "council.remove_member", member.round,
                 data={"name": member.full_name, "user_id": member.user_id})
    member.round.council_members.remove(member)


def add_support_member(actor, round_, person, user=None, is_lead=False, member=None):
    """Put ``person`` on the council's tổ giúp việc (or correct ``member``'s details); with ``user``, they may
    type in paper sheets."""
    _require_editable(round_)
    person = person.cleaned()
    if user is not None:
        _require_staff(user)
        if any(m.user_id == user.id and m is not member for m in round_.support_members):
            raise DomainError("account_seated")
    if is_lead:
        _clear_flag((m for m in round_.support_members if m is not member), "is_lead")
    if member is None:
        member = SupportMember(round=round_)
        db.session.add(member)
    member.full_name, member.position, member.agency = person.full_name, person.position, person.agency
    member.user, member.is_lead = user, is_lead
    record_event(actor, "support.add" if member.id is None else "support.edit", round_, data={
        "name": person.full_name, "lead": is_lead, "user_id": user.id if user else None})
    return member


def remove_support_member(actor, member):
    _require_editable(member.round)
    record_event(actor, "support.remove", member.round, data={"name": member.full_name, "user_id": member.user_id})
    member.round.support_members.remove(member)


def _clear_flag(rows, flag):
    """Unset a one-per-round flag and write that first: the partial unique index checks every statement."""
    for row in rows:
        setattr(row, flag, False)
    db.session.flush()


def assign_juror(actor, round_, user, group_codes=None, position=None, agency=None):
    """Put ``user`` on the jury: all entries (``group_codes`` None) or only those groups.

    ``position`` and ``agency`` are printed on the appointment; a new juror's position defaults to
    their account's title.
    """
    _require_editable(round_)
    _require_staff(user)
    juror = next((j for j in round_.jurors if j.user_id == user.id), None)
    if juror is None:
        juror = Juror(round=round_, user=user, position=user.title or "", agency="")
        db.session.add(juror)
    if position is not None:
        juror.position = nfc(position).strip()[:200]
    if agency is not None:
        juror.agency = nfc(agency).strip()[:200]
    juror.all_groups = not group_codes
    juror.groups = [JurorGroup(group_code=code) for code in sorted(set(group_codes or ()))]
    record_event(actor, "jury.assign", round_, data={"user_id": user.id, "groups": sorted(group_codes or [])})
    return juror


def appoint_jury_head(actor, juror):
    """Make ``juror`` the Trưởng Ban Giám khảo of their round (the previous head becomes a member)."""
    _require_editable(juror.round)
    _clear_flag(juror.round.jurors, "is_head")
    juror.is_head = True
    record_event(actor, "jury.appoint_head", juror.round, data={"user_id": juror.user_id})
    return juror


def remove_juror(actor, juror):
    _require_editable(juror.round)
    record_event(actor, "jury.remove", juror.round, data={"user_id": juror.user_id})
    juror.round.jurors.remove(juror)


def warn_if_short(round_):
    """After a recusal, tell the round's organiser which entries now lack jurors; return the notes."""
    from voting.models import User
    from voting.operations.notifications import notify_user

    short = entries_short_of_jurors(round_)
    organiser = db.session.get(User, round_.created_by_id) if round_.created_by_id else None
    if not short or organiser is None:
        return []
    codes = ", ".join(f"{a.entry_code} ({count})" for a, count in short)
    return [notify_user(organiser, NotificationKind.JURORS_SHORT, round_title=round_.title, entries=codes,
                        needed=round_.min_sheets_per_entry)]


def remind_late_jurors(actor, round_):
    """Chase the jurors behind with their sheets (the jury's head, or the organiser); return the notes to send."""
    from voting.operations.notifications import notify_user
    from voting.operations.scoring import progress

    if not (can_manage_round(actor, round_) or can_lead_jury(actor, round_)):
        raise DomainError("jury_head_only")
    counts, notes = progress(round_), []
    for juror in round_.jurors:
        done, expected = counts.get(juror.user_id, (0, 0))
        if done < expected:
            notes.append(notify_user(juror.user, NotificationKind.SCORING_REMINDER, round_title=round_.title,
                                     missing=expected - done))
    record_event(actor, "jury.remind", round_, data={"jurors": len(notes)})
    return notes


#: While a declared conflict still changes something: from the entries' acceptance until the council has voted
#: (a sheet from a conflicted juror can still be struck at the meeting). After that the results stand.
CONFLICT_STATUSES = (RoundStatus.SCREENING, RoundStatus.SCORING, RoundStatus.FIELD_VISITS, RoundStatus.SECOND_SCORING,
                     RoundStatus.DELIBERATION)


def declare_conflict(actor, round_, producer, reason):
    """A juror declares a conflict with a producer; it keeps them off its entries."""
    if not can_judge_round(actor, round_):
        raise DomainError("not_juror")
    if round_.status not in CONFLICT_STATUSES:
        raise DomainError("conflicts_closed")
    conflict = _conflict(round_, actor.id, producer.id, DECLARED)
    conflict.reason = nfc(reason) or ""
    conflict.active = True
    record_event(actor, "conflict.declare", round_, reason=conflict.reason,
                 data={"producer_id": producer.id})
    return conflict


def _conflict(round_, user_id, producer_id, source):
    conflict = db.session.scalar(select(Conflict).where(
        Conflict.round_id == round_.id, Conflict.juror_user_id == user_id,
        Conflict.producer_id == producer_id, Conflict.source == source))
    if conflict is None:
        conflict = Conflict(round_id=round_.id, juror_user_id=user_id, producer_id=producer_id, source=source)
        db.session.add(conflict)
    return conflict


def _digits(value):
    return "".join(ch for ch in (value or "") if ch.isdigit())


def detection_rules(round_):
    """The enabled rules: ``(name, predicate(user, producer) -> reason or None)``."""
    rules = []
    if round_.detect_same_person:
        rules.append(("same_person", lambda u, p: "same name" if u.full_name and p.representative
                      and fold(u.full_name) == fold(p.representative) else None))
    if round_.detect_same_contact:
        rules.append(("same_contact", lambda u, p: (
            "same e-mail" if p.email and u.email == (p.email or "").lower() else
            "same phone" if _digits(u.phone) and _digits(u.phone) == _digits(p.phone) else None)))
    if round_.detect_same_registration:
        rules.append(("same_registration", lambda u, p: "registration number in profile"
                      if p.registration_number and p.registration_number in (u.title or "") else None))
    if round_.detect_same_organisation:
        rules.append(("same_organisation", lambda u, p: "organisation in title"
                      if p.name and fold(p.name) in fold(u.title) else None))
    return rules


def detect_conflicts(actor, round_):
    """Flag likely conflicts between the round's jurors and its producers; return the new flags.

    A flag the chair dismissed stays dismissed: detection never revives it.
    """
    producers = db.session.scalars(select(Producer).where(Producer.id.in_(
        select(Application.producer_id).where(
            Application.round_id == round_.id,
            Application.status.in_((*PENDING_STATUSES, ApplicationStatus.ACCEPTED))))).order_by(Producer.id)).all()
    # Flags already raised, dismissed ones included, in one query rather than one per match.
    existing = set(db.session.execute(select(Conflict.juror_user_id, Conflict.producer_id, Conflict.source)
                                      .where(Conflict.round_id == round_.id)).all())
    new = []
    rules = detection_rules(round_)
    for juror in round_.jurors:
        for producer in producers:
            for name, predicate in rules:
                reason = predicate(juror.user, producer)
                if reason is None:
                    continue
                if (juror.user_id, producer.id, name) not in existing:
                    flag = Conflict(round_id=round_.id, juror_user_id=juror.user_id, producer_id=producer.id,
                                    source=name, reason=reason)
                    db.session.add(flag)
                    new.append(flag)
    if new:
        record_event(actor, "conflict.detect", round_, data={"flags": len(new)})
    return new


def dismiss_conflict(actor, conflict, reason):
    """The Trưởng Ban Giám khảo dismisses a false flag, with a reason (:func:`can_lead_jury`)."""
    from voting.models import Round

    if not can_lead_jury(actor, db.session.get(Round, conflict.round_id)):
        raise DomainError("jury_head_only")
    if conflict.source == DECLARED:
        raise DomainError("declared_conflict")
    if not nfc(reason):
        raise DomainError("reason_required")
    conflict.active = False
    conflict.dismissed_by_id = actor.id
    conflict.dismissed_reason = nfc(reason)
    record_event(actor, "conflict.dismiss", conflict, reason=conflict.dismissed_reason)
    return conflict


def conflicted_pairs(round_id):
    """``{(juror_user_id, producer_id)}`` of the round's active conflicts."""
    return set(db.session.execute(select(Conflict.juror_user_id, Conflict.producer_id).where(
        Conflict.round_id == round_id, Conflict.active.is_(True))).all())


def _coverage(round_):
    """``[(juror, group codes or None for all groups)]`` in the round's juror order: one query for the groups."""
    chosen = {}
    for juror_id, code in db.session.execute(select(JurorGroup.juror_id, JurorGroup.group_code)
                                             .join(Juror, Juror.id == JurorGroup.juror_id)
                                             .where(Juror.round_id == round_.id)):
        chosen.setdefault(juror_id, set()).add(code)
    return [(j, None if j.all_groups else chosen.get(j.id, set())) for j in round_.jurors]


def _eligible(coverage, group, producer_id, conflicts):
    return [j for j, groups in coverage
            if (groups is None or group in groups) and (j.user_id, producer_id) not in conflicts]


def eligible_jurors(round_, application, conflicts=None):
    """Jurors who may score this entry: assigned to its group and not in conflict with its producer."""
    conflicts = conflicted_pairs(round_.id) if conflicts is None else conflicts
    return _eligible(_coverage(round_), application.product.group_code, application.producer_id, conflicts)


def eligible_by_entry(round_, conflicts=None):
    """``{application_id: [jurors]}`` for every accepted entry, as :func:`eligible_jurors` would say.

    A fixed number of queries and one pass over entries × jurors, whatever the round's size
    (pages and checks that ask for every entry call this, not :func:`eligible_jurors` in a loop).
    """
    conflicts = conflicted_pairs(round_.id) if conflicts is None else conflicts
    coverage = _coverage(round_)
    rows = db.session.execute(select(Application.id, Application.producer_id, Product.group_code)
                              .join(Product, Product.id == Application.product_id)
                              .where(Application.round_id == round_.id,
                                     Application.status == ApplicationStatus.ACCEPTED)).all()
    return {app_id: _eligible(coverage, group, producer_id, conflicts) for app_id, producer_id, group in rows}


def entries_short_of_jurors(round_):
    """Accepted entries with fewer eligible jurors than the round's minimum sheets per entry."""
    eligible = eligible_by_entry(round_)
    accepted = db.session.scalars(select(Application).where(
        Application.round_id == round_.id, Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Application.entry_code)).all()
    counts = ((a, len(eligible.get(a.id, ()))) for a in accepted)
    return [(a, count) for a, count in counts if count < round_.min_sheets_per_entry]
