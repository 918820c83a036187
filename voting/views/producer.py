"""The producer's workspace (cơ sở CNNT)."""
from flask import Blueprint, render_template
from flask_login import current_user

from voting.access import producer_required

blueprint = Blueprint("producer", __name__, url_prefix="/producer")


@blueprint.get("/")
@producer_required
def dashboard():
    producer = current_user.producer
    products = producer.products if producer else []
    return render_template("producer/dashboard.html", producer=producer, products=products)
