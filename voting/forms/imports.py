"""The upload form of the past-certificates import."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField


class ImportCertificatesForm(FlaskForm):
    """One .xlsx file laid out like the template; checked by content, never by its name."""

    file = FileField(_l("Tệp Excel (.xlsx)"), validators=[FileRequired(_l("Hãy chọn tệp cần nhập."))])
    submit = SubmitField(_l("Kiểm tra và nhập"))
