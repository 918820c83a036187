"""The public registry of certified products (Danh bạ sản phẩm CNNT tiêu biểu)."""
from flask import Blueprint, render_template, request

from voting.access import public

blueprint = Blueprint("registry", __name__, url_prefix="/registry")


@blueprint.get("/")
@public
def index():
    """The registry lists certified products; certificates arrive with the certificates issue."""
    query = request.args.get("q", "").strip()[:200]
    return render_template("registry/index.html", q=query, results=[])
