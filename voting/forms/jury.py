"""Forms of the juror's workspace: the score sheet and a declared conflict of interest."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from voting.forms.fields import STALE_CHOICE_MESSAGE, IdField, NumberRequired, WholeNumberField, strip_nfc

#: What a POST to the sheet asks for: the plain buttons, or the script's background save.
SHEET_ACTIONS = ("save", "submit", "autosave")
POINTS_PREFIX, NOTE_PREFIX = "points-", "note-"


class ScoreSheetForm(FlaskForm):
    """The fixed part of a score sheet; the points and notes are read by :func:`typed_scores`.

    Points are not WTForms fields: the round's criteria decide which exist, and
    :func:`voting.operations.scoring.save_draft` is the one judge of their values
    (including keys for criteria that are not on the sheet).
    """

    comment = TextAreaField(_l("Nhận xét"), filters=[strip_nfc],
                            validators=[Length(max=5000, message=_l("Nhận xét dài tối đa %(max)d ký tự."))])
    version = WholeNumberField(widget=HiddenInput(), validators=[InputRequired()])
    action = HiddenField(default="save", validators=[Optional(), AnyOf(SHEET_ACTIONS)])

    @property
    def wanted(self):
        return self.action.data or "save"


def typed_scores(formdata):
    """Return ``(points, notes)``: criterion id (as typed in the field name) → text."""
    points, notes = {}, {}
    for key, value in formdata.items():
        if key.startswith(POINTS_PREFIX):
            points[key[len(POINTS_PREFIX):]] = value
        elif key.startswith(NOTE_PREFIX):
            notes[key[len(NOTE_PREFIX):]] = strip_nfc(value)[:2000]
    return points, notes


class ConflictForm(FlaskForm):
    """Khai báo xung đột lợi ích with one producer of the round."""

    producer_id = IdField(validators=[NumberRequired(STALE_CHOICE_MESSAGE)])
    reason = TextAreaField(_l("Lý do"), filters=[strip_nfc],
                           validators=[DataRequired(_l("Hãy ghi lý do xung đột lợi ích.")),
                                       Length(max=1000, message=_l("Lý do dài tối đa %(max)d ký tự."))])
