"""Public pages: home, language switch, health check."""
from flask import current_app, jsonify, make_response, redirect, render_template, request, url_for
from sqlalchemy import func, select

from voting.core.access import public
from voting.extensions import db
from voting.models import Producer, Product, ProductGroup, Province, Region
from voting.core.security import safe_next
from voting.core.text import collate



@public
def index():
    groups = db.session.scalars(select(ProductGroup).order_by(ProductGroup.code)).all()
    regions = db.session.scalars(select(Region).order_by(Region.position)).all()
    stats = {
        "provinces": db.session.scalar(select(func.count(Province.id))),
        "producers": db.session.scalar(select(func.count(Producer.id))),
        "products": db.session.scalar(select(func.count(Product.id))),
    }
    return render_template("public/index.html", groups=groups, regions=regions, stats=stats)


@public
def set_language(code):
    """Remember the chosen UI language in a cookie and go back where the user was."""
    target = safe_next(request.args.get("next"), url_for("public.index"))
    response = make_response(redirect(target))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


@public
def communes_of_province(code):
    """The communes of one current province in alphabetical order, for pickers in forms."""
    province = db.session.scalar(select(Province).where(Province.code == code))
    if province is None:
        return jsonify(error="unknown province"), 404
    communes = collate(province.communes, key=lambda commune: commune.name)
    response = jsonify([{"code": c.code, "name": c.name} for c in communes])
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
