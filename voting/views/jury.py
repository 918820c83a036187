"""The jury member's workspace (Ban Giám khảo)."""
from flask import Blueprint, render_template
from sqlalchemy import select

from voting.access import juror_required
from voting.extensions import db
from voting.models import ScoringSheetTemplate
from voting.operations.reference import OFFICIAL_SHEET_CODE

blueprint = Blueprint("jury", __name__, url_prefix="/jury")


@blueprint.get("/")
@juror_required
def dashboard():
    sheet = db.session.scalar(select(ScoringSheetTemplate).where(ScoringSheetTemplate.code == OFFICIAL_SHEET_CODE))
    return render_template("jury/dashboard.html", sheet=sheet)
