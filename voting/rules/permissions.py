"""Object-level permission predicates: ``can_<verb>(user, obj) -> bool``, and the lists they scope.

The one home of "who may see or do what on a round, an entry, a report": views and
operations ask here, never decide by hand. Each predicate returns False for anonymous
users first. ``*_visible_to`` / ``*_managed_by`` return a ``Select`` scoped in SQL, so a
list is never loaded whole and filtered in Python. Route-level rules live in
:mod:`voting.core.access`. Imports models and SQLAlchemy only (no views, forms, operations).
"""
from sqlalchemy import and_, false, or_, select, true

from voting.extensions import db
from voting.models import CouncilRole, IssuingAuthority, JurisdictionLevel, Province, Role, Round

#: Council roles that act for the council in the platform: the chair, and the
#: secretary (tổ giúp việc) on the chair's behalf.
ACTING_ROLES = (CouncilRole.CHAIR, CouncilRole.SECRETARY)


def signed_in(user):
    """True for a signed-in user (Flask-Login's anonymous user and None are not)."""
    return getattr(user, "is_authenticated", False)


def _is_organiser(user):
    return signed_in(user) and user.role == Role.ORGANISER


def provinces_in_jurisdiction(user):
    """Return the ids of the provinces an organiser's jurisdiction touches."""
    if not _is_organiser(user):
        return []
    level = user.jurisdiction_level
    query = select(Province.id)
    if level == JurisdictionLevel.REGION and user.region_id is not None:
        query = query.where(Province.region_id == user.region_id)
    elif level in (JurisdictionLevel.PROVINCE, JurisdictionLevel.COMMUNE):
        query = query.where(Province.id == user.province_id)
    return list(db.session.scalars(query))


def jurisdiction_contains(outer, inner):
    """True if ``inner``'s jurisdiction (a round, an authority) lies within ``outer``'s."""
    level, inner_level = outer.jurisdiction_level, inner.jurisdiction_level
    if level == JurisdictionLevel.NATIONAL:
        return True
    if level == JurisdictionLevel.REGION:
        if inner_level == JurisdictionLevel.NATIONAL:
            return False
        if outer.region_id is None:
            return True
        if inner_level == JurisdictionLevel.REGION:
            return inner.region_id == outer.region_id
        return inner.province is not None and inner.province.region_id == outer.region_id
    if level == JurisdictionLevel.PROVINCE:
        return inner_level in (JurisdictionLevel.PROVINCE, JurisdictionLevel.COMMUNE) \
            and inner.province_id == outer.province_id
    if level == JurisdictionLevel.COMMUNE:
        return inner_level == JurisdictionLevel.COMMUNE and inner.commune_id == outer.commune_id
    return False


def jurisdiction_holds(user, model):
    """SQL twin of :func:`jurisdiction_contains`: the rows of ``model`` (a round, an authority) within ``user``'s.

    Keep the two in step: the Python one answers for one loaded object, this one scopes a list.
    """
    level = user.jurisdiction_level
    if level == JurisdictionLevel.NATIONAL:
        return true()
    if level == JurisdictionLevel.REGION:
        if user.region_id is None:
            return model.jurisdiction_level != JurisdictionLevel.NATIONAL
        in_region = select(Province.id).where(Province.region_id == user.region_id)
        return or_(
            and_(model.jurisdiction_level == JurisdictionLevel.REGION, model.region_id == user.region_id),
            and_(model.jurisdiction_level.not_in((JurisdictionLevel.NATIONAL, JurisdictionLevel.REGION)),
                 model.province_id.in_(in_region)),
        )
    if level == JurisdictionLevel.PROVINCE:
        return and_(model.jurisdiction_level.in_((JurisdictionLevel.PROVINCE, JurisdictionLevel.COMMUNE)),
                    model.province_id == user.province_id)
    if level == JurisdictionLevel.COMMUNE:
        return and_(model.jurisdiction_level == JurisdictionLevel.COMMUNE, model.commune_id == user.commune_id)
    return false()


# ---------- rounds ----------

def can_manage_round(user, round_):
    """Organisers whose jurisdiction holds the round's."""
    if not _is_organiser(user):
        return False
    return jurisdiction_contains(user, round_)


def rounds_managed_by(user):
    """The rounds :func:`can_manage_round` lets ``user`` manage, newest first, as a ``Select``."""
    query = select(Round).order_by(Round.year.desc(), Round.id.desc())
    if not _is_organiser(user):
        return query.where(false())
    return query.where(jurisdiction_holds(user, Round))


def authorities_managed_by(user):
    """Active issuing authorities of the organiser's own level within their jurisdiction, by name."""
    query = select(IssuingAuthority).order_by(IssuingAuthority.name)
    if not _is_organiser(user):
        return query.where(false())
    return query.where(IssuingAuthority.jurisdiction_level == user.jurisdiction_level,
                       IssuingAuthority.active.is_(True), jurisdiction_holds(user, IssuingAuthority))


def council_role(round_, user):
    """The user's council role in this round, or None (members without an account hold no user's role)."""
    user_id = getattr(user, "id", None)
    if user_id is None:
        return None
    return next((m.role for m in round_.council_members if m.user_id == user_id), None)


def can_sit_on_council(user, round_, roles=None):
    """Members of the round's council with an account (in one of ``roles`` if given)."""
    role = council_role(round_, user) if signed_in(user) else None
    return role is not None and (roles is None or role in roles)


def can_act_for_council(user, round_):
    """The chair, or the secretary on the chair's behalf: strikes, votes, complaints, justifications."""
    return can_sit_on_council(user, round_, ACTING_ROLES)


def jury_head(round_):
    """The round's Trưởng Ban Giám khảo (a :class:`Juror`), or None before one is appointed."""
    return next((j for j in round_.jurors if j.is_head), None)


def can_lead_jury(user, round_):
    """The Trưởng Ban Giám khảo: the jury's housekeeping (false conflict flags, reopened sheets, late sheets).

    A round whose jury has no head yet (rounds run before heads were appointed among them) leaves the
    housekeeping with those who act for the council, as it was then, rather than with nobody.
    """
    if not signed_in(user):
        return False
    head = jury_head(round_)
    if head is None:
        return can_act_for_council(user, round_)
    return head.user_id == user.id


def supports_council(user, round_):
    """A member of the tổ giúp việc with an account."""
    return signed_in(user) and any(m.user_id == user.id for m in round_.support_members)


def can_enter_paper_sheets(user, round_):
    """The council's secretary or a member of its tổ giúp việc types in jurors' paper sheets."""
    return can_sit_on_council(user, round_, (CouncilRole.SECRETARY,)) or supports_council(user, round_)


def can_use_council_pages(user, round_):
    """Who works on the round's council pages: its members with accounts, the jury's head, the support team."""
    return (can_sit_on_council(user, round_) or supports_council(user, round_)
            or (jury_head(round_) is not None and can_lead_jury(user, round_)))


def can_write_sheet(user, sheet):
    """The juror themself, or the council's secretary who is entering it from paper."""
    if not signed_in(user):
        return False
    if user.id == sheet.juror_user_id:
        return True
    return sheet.entered_by_id == user.id and can_enter_paper_sheets(user, sheet.application.round)


def can_view_results(user, round_):
    """The round's organisers and its council see the full ranking, the sheets and the jurors' names."""
    return can_manage_round(user, round_) or can_sit_on_council(user, round_)


def can_judge_round(user, round_):
    """Jurors of the round: they score its entries (each entry still checks assignment and conflicts)."""
    if not signed_in(user):
        return False
    return any(j.user_id == user.id for j in round_.jurors)


# ---------- reports of suspected fakes ----------
