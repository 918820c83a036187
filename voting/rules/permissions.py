"""Object-level permission predicates: ``can_<verb>(user, obj) -> bool``.

Each returns False for anonymous users first. Route-level rules live in
:mod:`voting.core.access`; these answer "may this user touch this object".
"""
from sqlalchemy import select

from voting.extensions import db
from voting.models import JurisdictionLevel, Province, Role


def provinces_in_jurisdiction(user):
    """Return the ids of the provinces an organiser's jurisdiction touches."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.ORGANISER:
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


def can_manage_round(user, round_):
    """Organisers whose jurisdiction holds the round's."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.ORGANISER:
        return False
    return jurisdiction_contains(user, round_)
