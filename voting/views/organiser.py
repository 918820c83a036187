"""The organiser's workspace (Sở Công Thương, the Cục, the Ministry)."""
from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from voting.access import organiser_required
from voting.extensions import db
from voting.models import IssuingAuthority, JurisdictionLevel, Producer, Product, ProductGroup, Province
from voting.permissions import provinces_in_jurisdiction

blueprint = Blueprint("organiser", __name__, url_prefix="/organiser")


@blueprint.get("/")
@organiser_required
def dashboard():
    province_ids = provinces_in_jurisdiction(current_user)
    producer_filter = Producer.province_id.in_(province_ids)
    if current_user.jurisdiction_level == JurisdictionLevel.COMMUNE:
        producer_filter = Producer.commune_id == current_user.commune_id
    producers = db.session.scalars(
        select(Producer).where(producer_filter).order_by(Producer.name).limit(200)
        .options(selectinload(Producer.products), selectinload(Producer.producer_type),
                 selectinload(Producer.province))
    ).all()
    counts = dict(db.session.execute(
        select(Product.group_code, func.count(Product.id)).join(Producer).where(producer_filter)
        .group_by(Product.group_code)
    ).all())
    groups = db.session.scalars(select(ProductGroup).order_by(ProductGroup.code)).all()
    product_counts = [(group, counts.get(group.code, 0)) for group in groups]
    provinces = db.session.scalars(select(Province).where(Province.id.in_(province_ids)).order_by(Province.name)).all()
    authorities = db.session.scalars(
        select(IssuingAuthority).where(IssuingAuthority.jurisdiction_level == current_user.jurisdiction_level)
        .where(IssuingAuthority.active.is_(True)).order_by(IssuingAuthority.name)
    ).all()
    if current_user.jurisdiction_level == JurisdictionLevel.PROVINCE:
        authorities = [a for a in authorities if a.province_id == current_user.province_id]
    return render_template("organiser/dashboard.html", producers=producers, provinces=provinces,
                           product_counts=product_counts, authorities=authorities)
