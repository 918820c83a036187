"""The upload of a document the office signed with its own tools (PAdES)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField


class SignedUploadForm(FlaskForm):
    document = FileField(_l("Tệp PDF đã ký số"), validators=[FileRequired(message=_l("Hãy chọn tệp PDF đã ký số."))])
    submit = SubmitField(_l("Tải lên"))
