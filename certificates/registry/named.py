"""What a registry filter's value names: a province (current or former, by code or any spelling of its name),
a region or a product group; the registry's search, its API and the import of paper certificates read them alike."""
import re

from sqlalchemy import or_, select

from voting.core.text import fold
from voting.extensions import db
from voting.models import FormerProvince, ProductGroup, Province, Region

#: Words before a province's name that are in no name ("tỉnh Quảng Nam", "TP. Huế"), folded.
PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp. ", "tp ")


def province_key(name):
    """``name`` folded, without a leading "tỉnh" or "thành phố"."""
    key = fold(name)
    for prefix in PROVINCE_PREFIXES:
        key = key.removeprefix(prefix)
    return key


def province_for(value):
    """The current province a code or a current or former name (any spelling) names, or None."""
    if re.fullmatch(r"\d{1,2}", value):
        return db.session.scalar(select(Province).where(Province.code == value.zfill(2)))
    key = province_key(value)
    if not key:
        return None
    province = db.session.scalar(select(Province).where(Province.name_folded == key))
    if province is None:
        former = db.session.scalar(select(FormerProvince).where(FormerProvince.name_folded == key))
        province = former.current_province if former else None
    return province


def region_named(text):
    """The region whose code, or folded name, is ``text``; else None."""
    key = fold(text)
    region = db.session.scalar(select(Region).where(or_(Region.code == text, Region.code == key)))
    return region or next((r for r in db.session.scalars(select(Region)) if fold(r.name) == key), None)


def group_named(text):
    """The product group whose code or folded name is ``text``; else None."""
    key = fold(text)
    return next((g for g in db.session.scalars(select(ProductGroup))
                 if g.code == text or fold(g.code) == key or fold(g.name) == key), None)
